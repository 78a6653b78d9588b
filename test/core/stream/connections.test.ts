import { describe, expect, it } from 'vitest';
import { createSse } from '../../../core/stream/create-sse.js';
import type { SseLifecycleEvent } from '../../../core/stream/types.js';
import {
  captureUncaught,
  fetchOnce,
  openEventSource,
  openRawStream,
  startTestStream,
  useCleanup,
  waitFor,
} from './support.js';

const cleanup = useCleanup();

describe('connection tracking', () => {
  it('describes each connection, with the token redacted', async () => {
    let clock = 1_000;
    const { sse, port, of } = await startTestStream(cleanup, { token: 's3cret', now: () => clock });
    sse.sendNewEvent({ data: 'stored', id: true });
    clock = 2_000;
    const client = openRawStream(port, {
      path: '/events?token=s3cret&x=1',
      headers: { 'User-Agent': 'probe/1.0 \u00c2\u009b31m', 'Last-Event-ID': 'nope' },
      cleanup,
    });
    await client.until((s) => s.events.length === 1, 'the replay');
    const info = sse.connections[0]?.info();
    expect(info).toMatchObject({
      id: 1,
      remoteAddress: '127.0.0.1',
      path: '/events?token=***&x=1',
      lastEventIdRequested: 'nope',
      connectedAt: 2_000,
      eventsSent: 1,
      bytesSent: Buffer.byteLength('id: 1\ndata: stored\n\n'),
      // The client read the replay, so nothing waits in the socket's buffer.
      bufferedBytes: 0,
      slow: false,
    });
    expect(info?.remotePort).toBe(client.socket.localPort);
    expect(info?.userAgent).not.toMatch(/[\u0080-\u009f]/); // no 8-bit control codes reach the console
    expect(Object.isFrozen(sse.connections)).toBe(true);
    expect(of('connected')[0]?.connection.id).toBe(1);
    expect(JSON.stringify(sse.connections)).not.toContain('s3cret');
  });

  it('numbers connections from 1 and never reuses a number', async () => {
    const { sse, port } = await startTestStream(cleanup);
    const first = openRawStream(port, { cleanup });
    await first.until(() => sse.connections.length === 1, 'the first connection');
    first.close();
    await waitFor(() => sse.connections.length === 0, 'the first connection to go');
    const second = openRawStream(port, { cleanup });
    await second.until(() => sse.connections.length === 1, 'the second connection');
    expect(sse.connections.map((connection) => connection.id)).toEqual([2]);
  });

  it('fires EventSource open at once, before any event', async () => {
    const { sse, server } = await startTestStream(cleanup);
    const client = openEventSource(`${server.url}events`, cleanup);
    await waitFor(() => client.opened === 1, 'open');
    expect(client.messages).toEqual([]);
    expect(sse.connections).toHaveLength(1);
  });

  it('reports a client that leaves', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    const client = openRawStream(port, { cleanup });
    await client.until(() => sse.connections.length === 1, 'the connection');
    client.close();
    await waitFor(() => of('disconnected').length === 1, 'the disconnect');
    expect(of('disconnected')[0]).toMatchObject({ reason: 'client-closed', info: { id: 1 } });
    expect(sse.connections).toEqual([]);
  });
});

describe('hanging up', () => {
  it('close(id) ends one stream gracefully, after what was already sent', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    const a = openRawStream(port, { cleanup });
    const b = openRawStream(port, { cleanup });
    await a.until(() => sse.connections.length === 2, 'two connections');
    sse.sendNewEvent({ data: 'last words' });
    sse.close(1);
    // One policy for a number that is not open (gone, or never was): NoSuchConnectionError.
    expect(() => sse.close(1)).toThrow(
      expect.objectContaining({ code: 'ERR_SSE_NO_SUCH_CONNECTION', connectionId: 1 }),
    );
    expect(() => sse.close(42)).toThrow('connection #42 is not open (open connections: #2)');
    await a.until((s) => s.ended, 'A to end');
    expect(a.events.map((event) => event.data)).toEqual(['last words']);
    expect(of('disconnected')).toMatchObject([{ reason: 'server-closed', info: { id: 1 } }]);
    expect(sse.connections.map((connection) => connection.id)).toEqual([2]);
    expect(b.ended).toBe(false);
  });

  it('closeAll() ends every stream and says how many', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    const clients = [1, 2, 3].map(() => openRawStream(port, { cleanup }));
    await waitFor(() => sse.connections.length === 3, 'three connections');
    expect(sse.closeAll()).toBe(3);
    for (const client of clients) await client.until((s) => s.ended, 'the stream to end');
    expect(of('disconnected').map((event) => event.reason)).toEqual([
      'server-closed',
      'server-closed',
      'server-closed',
    ]);
  });

  it('stop() ends every stream, and later requests get 503', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { heartbeatMs: 10 });
    const client = openRawStream(port, { cleanup });
    await client.until(() => sse.connections.length === 1, 'the connection');
    sse.stop();
    sse.stop(); // twice is fine
    await client.until((s) => s.ended, 'the stream to end');
    expect(of('disconnected')).toMatchObject([{ reason: 'stopped' }]);
    const later = await fetchOnce(port, { path: '/events' });
    expect(later.status).toBe(503);
    expect(later.body).toContain('stopped');
    expect(of('refused').at(-1)).toMatchObject({ status: 503, reason: 'stream stopped', path: '/events' });
  });

  it('closeAfter=N hangs up after N events, replayed ones included', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { closeAfterQuery: true });
    for (const data of ['a', 'b']) sse.sendNewEvent({ data, id: true });
    const client = openRawStream(port, { path: '/events?closeAfter=4', cleanup });
    await client.until((s) => s.events.length === 2, 'the replay');
    sse.sendComment('comments do not count');
    sse.sendNewEvent({ retry: 500 }); // nor do retry-only blocks: a browser dispatches nothing
    sse.sendNewEvent({ data: 'c' });
    sse.sendNewEvent({ data: 'd' });
    sse.sendNewEvent({ data: 'e' }); // same tick: cut off after d
    await client.until((s) => s.ended, 'the hang-up');
    expect(client.events.map((event) => event.data)).toEqual(['a', 'b', 'c', 'd']);
    expect(of('disconnected')).toMatchObject([{ reason: 'close-after', info: { eventsSent: 4 } }]);
  });

  it('closeAfter can end a stream within its replay', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { closeAfterQuery: true });
    for (const data of ['a', 'b', 'c']) sse.sendNewEvent({ data, id: true });
    const client = openRawStream(port, { path: '/?closeAfter=2', cleanup });
    await client.until((s) => s.ended, 'the hang-up');
    expect(client.events.map((event) => event.id)).toEqual(['1', '2']);
    expect(of('replayed')).toMatchObject([{ count: 2, firstId: 1, lastId: 2 }]);
    expect(of('disconnected')).toMatchObject([{ reason: 'close-after' }]);
  });

  it('the reconnect demo: hang up every 3 events, the client resumes with Last-Event-ID', async () => {
    const { sse, server, of } = await startTestStream(cleanup, { retryMs: 20, closeAfterQuery: true });
    for (let i = 1; i <= 10; i += 1) sse.sendNewEvent({ data: `event ${i}`, id: true });
    const client = openEventSource(`${server.url}events?closeAfter=3`, cleanup);
    await waitFor(() => client.data().length === 10, 'all ten events across reconnects');
    expect(client.data()).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i + 1}`));
    const cursors = of('connected').map((event) => event.info.lastEventIdRequested);
    expect(cursors.slice(0, 4)).toEqual([undefined, '3', '6', '9']);
  });

  it('without closeAfterQuery (the default), ?closeAfter= is ignored: no hang-up, no 400', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    const client = openRawStream(port, { path: '/events?closeAfter=1', cleanup });
    await client.until(() => sse.connections.length === 1, 'the connection');
    for (const data of ['a', 'b', 'c']) sse.sendNewEvent({ data });
    await client.until((s) => s.events.length === 3, 'three events');
    expect(client.ended).toBe(false);
    expect(sse.connections).toHaveLength(1);
    expect((await fetchOnce(port, { path: '/events?closeAfter=ten', method: 'HEAD' })).status).toBe(200);
    expect(of('refused')).toEqual([]);
    expect(of('disconnected')).toEqual([]);
  });

  it('refuses a bad closeAfter with 400 and the valid range', async () => {
    const { port, of } = await startTestStream(cleanup, { closeAfterQuery: true });
    for (const value of ['0', '10001', 'ten', '1.5']) {
      const answer = await fetchOnce(port, { path: `/events?closeAfter=${value}` });
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('closeAfter must be a whole number from 1 to 10000');
    }
    expect(of('refused')).toHaveLength(4);
  });
});

describe('heartbeat', () => {
  it('writes a heartbeat comment to every connection on one shared timer', async () => {
    const { sse, port } = await startTestStream(cleanup, { heartbeatMs: 25 });
    const a = openRawStream(port, { cleanup });
    const b = openRawStream(port, { cleanup });
    await a.until((s) => s.comments.length >= 2, 'heartbeats on A');
    await b.until((s) => s.comments.length >= 2, 'heartbeats on B');
    expect(new Set([...a.comments, ...b.comments])).toEqual(new Set(['heartbeat']));
    expect(a.body).toMatch(/^(: heartbeat\n\n)+$/);
    expect(sse.connections.every((connection) => connection.info().eventsSent === 0)).toBe(true);
  });

  it('heartbeatMs 0 sends none', async () => {
    const { sse, port } = await startTestStream(cleanup, { heartbeatMs: 0 });
    const client = openRawStream(port, { cleanup });
    await client.until(() => sse.connections.length === 1, 'the connection');
    sse.sendNewEvent({ data: 'x' });
    await client.until((s) => s.events.length === 1, 'the event');
    expect(client.comments).toEqual([]);
  });
});

describe('subscribe', () => {
  it('isolates a throwing listener (reported as uncaught) and stops calling an unsubscribed one', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const seen: string[] = [];
    const broken = new Error('broken view');
    sse.subscribe(() => {
      throw broken;
    });
    const unsubscribe = sse.subscribe((event) => seen.push(`first:${event.type}`));
    sse.subscribe((event) => seen.push(`second:${event.type}`));
    const uncaught = await captureUncaught(() => {
      expect(sse.sendNewEvent({ data: 'x' }).data).toBe('x');
      unsubscribe();
      unsubscribe();
      sse.sendComment('y');
    });
    expect(seen).toEqual(['first:sent', 'second:sent', 'second:comment']);
    expect(uncaught).toEqual([broken, broken]);
  });

  it('reports sends with their record', () => {
    const sse = createSse({ heartbeatMs: 0, now: () => 5 });
    const events: SseLifecycleEvent[] = [];
    sse.subscribe((event) => events.push(event));
    sse.sendNewEvent({ data: 'x', event: 'e', retry: 10, id: true });
    expect(events[0]).toMatchObject({
      type: 'sent',
      event: { id: 1, data: 'x', event: 'e', retry: 10, sentAt: 5, connectionCount: 0 },
    });
    expect(events[1]).toEqual({ type: 'history-changed', size: 1, nextId: 2 });
    expect(sse.history).toEqual([{ id: 1, data: 'x', event: 'e', retry: 10, storedAt: 5 }]);
  });
});
