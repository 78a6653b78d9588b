/**
The library as a product (issue 11): typed errors with stable codes, one policy for
"no such connection" and for a throwing listener, the connection handle, and
startSseServer working with any stream through the public API only. Everything is
imported from the package root, as a user would.
*/
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createSse,
  createSseClient,
  ListenError,
  NoSuchConnectionError,
  SseArgumentError,
  SseClientError,
  SseError,
  SseFieldError,
  startSseServer,
  type Sse,
  type SseConnection,
  type SseLifecycleEvent,
} from '../../../core/index.js';
import { captureUncaught, fetchOnce, openRawStream, startTestStream, useCleanup, waitFor } from './support.js';

const cleanup = useCleanup();

/** What `run` throws (synchronously or as a rejection). */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A node:http server that mounts `sse` with `sse.handle()` and keeps what it resolved to. */
async function mount(sse: Sse): Promise<{ port: number; resolved: Array<SseConnection | undefined> }> {
  const resolved: Array<SseConnection | undefined> = [];
  const server: Server = createServer((req, res) => {
    void sse.handle(req, res).then((connection) => resolved.push(connection));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(async () => {
    sse.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, resolved };
}

describe('typed errors: every throw of the public API is an SseError with a stable code', () => {
  it.each([
    [
      'createSse historyLimit',
      () => createSse({ historyLimit: -1 }),
      'historyLimit',
      /historyLimit must be a whole number from 0/,
    ],
    ['createSse token', () => createSse({ token: '' }), 'token', /token must be a non-empty string/],
    ['createSse onConnect', () => createSse({ onConnect: 5 as never }), 'onConnect', /onConnect must be a function/],
    ['createSse corsOrigins', () => createSse({ corsOrigins: 7 as never }), 'corsOrigins', /corsOrigins must be/],
    ['createSse channel', () => createSse({ channel: 'a b' }), 'channel', /channel/],
    ['createSse initialHistory', () => createSse({ initialHistory: [{ id: -1 } as never] }), 'history', /id must be/],
    ['sendNewEvent(non-object)', () => createSse().sendNewEvent(null as never), 'event', /an event must be an object/],
    ['subscribe', () => createSse().subscribe('x' as never), 'listener', /subscribe needs a function/],
    ['setOnConnect', () => createSse().setOnConnect(3 as never), 'onConnect', /onConnect must be a function/],
    [
      'startSseServer port',
      () => startSseServer(-1, createSse()),
      'port',
      /port must be a whole number from 0 to 65535/,
    ],
    ['createSseClient url', () => createSseClient({ url: 'ftp://x/' }), 'url', /fetched over http:\/\/ or https:\/\//],
    [
      'createSseClient header',
      () => createSseClient({ url: 'http://127.0.0.1:1/', headers: { 'a b': 'c' } }),
      'headers',
      /invalid request header/,
    ],
    [
      'createSseClient method',
      () => createSseClient({ url: 'http://127.0.0.1:1/', method: 'TRACE' }),
      'method',
      /fetch cannot send a TRACE/,
    ],
  ])('%s: SseArgumentError ERR_SSE_ARGUMENT naming the argument', async (_name, run, argument, message) => {
    const error = await thrown(run);
    expect(error).toBeInstanceOf(SseArgumentError);
    expect(error).toBeInstanceOf(SseError);
    expect(error).toMatchObject({ code: 'ERR_SSE_ARGUMENT', argument, name: 'SseArgumentError' });
    expect((error as Error).message).toMatch(message);
  });

  it('field errors are SseFieldError (ERR_SSE_FIELD), listen errors ListenError (ERR_SSE_LISTEN)', async () => {
    const field = await thrown(() => createSse().sendNewEvent({ event: 'a\nb' }));
    expect(field).toBeInstanceOf(SseFieldError);
    expect(field).toBeInstanceOf(SseError);
    expect(field).toMatchObject({ code: 'ERR_SSE_FIELD', field: 'event' });
    const { port } = await startTestStream(cleanup);
    const busy = await thrown(() => startSseServer(port, createSse()));
    expect(busy).toBeInstanceOf(ListenError);
    expect(busy).toMatchObject({ code: 'ERR_SSE_LISTEN', systemCode: 'EADDRINUSE', port });
    expect((busy as Error).message).toContain('is already in use');
  });

  it('the client reports SseClientError (ERR_SSE_CLIENT_…) to onError', async () => {
    const { port } = await startTestStream(cleanup, { onConnect: () => ({ status: 204 }) });
    const errors: unknown[] = [];
    const client = createSseClient({ url: `http://127.0.0.1:${port}/events`, onError: (error) => errors.push(error) });
    cleanup(() => client.close());
    await client.closed;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SseClientError);
    expect(errors[0]).toBeInstanceOf(SseError);
    expect(errors[0]).toMatchObject({
      code: 'ERR_SSE_CLIENT_BAD_STATUS',
      kind: 'bad-status',
      status: 204,
      fatal: true,
    });
  });
});

describe('no such connection: one policy', () => {
  it('sendTo, close and a closed handle’s send throw NoSuchConnectionError; handle.close() is idempotent', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const { port, resolved } = await mount(sse);
    const client = openRawStream(port, { cleanup });
    const handle = await waitFor(() => resolved[0], 'the handle');
    for (const run of [() => sse.sendTo(9, { data: 'x' }), () => sse.close(9)]) {
      const error = await thrown(run);
      expect(error).toBeInstanceOf(NoSuchConnectionError);
      expect(error).toMatchObject({
        code: 'ERR_SSE_NO_SUCH_CONNECTION',
        connectionId: 9,
        message: 'connection #9 is not open (open connections: #1)',
      });
    }
    expect(handle.close()).toBe(true);
    expect(handle.close()).toBe(false);
    await client.until((s) => s.ended, 'the hang-up');
    expect(await thrown(() => handle.send({ data: 'late' }))).toMatchObject({
      code: 'ERR_SSE_NO_SUCH_CONNECTION',
      connectionId: 1,
    });
  });
});

describe('a throwing listener: one policy on server and client', () => {
  it('server: the others and the sockets still get the event; the exception reaches uncaughtException', async () => {
    const { sse, port } = await startTestStream(cleanup);
    const client = openRawStream(port, { cleanup });
    await client.until(() => sse.connections.length === 1, 'the connection');
    const broken = new Error('broken listener');
    // Only the send throws, and the listener goes before the test ends: the hang-up at
    // cleanup would otherwise throw again outside the capture.
    const unsubscribeBroken = sse.subscribe((event) => {
      if (event.type === 'sent') throw broken;
    });
    const seen: string[] = [];
    sse.subscribe((event) => seen.push(event.type));
    const uncaught = await captureUncaught(() => sse.sendNewEvent({ data: 'x' }));
    unsubscribeBroken();
    expect(uncaught).toEqual([broken]);
    expect(seen).toEqual(['sent']);
    await client.until((s) => s.events.length === 1, 'the event');
  });

  it('client: the stream goes on; the exception reaches uncaughtException', async () => {
    const { sse, port } = await startTestStream(cleanup);
    const broken = new Error('broken onEvent');
    const data: string[] = [];
    const uncaught = await captureUncaught(async () => {
      const client = createSseClient({
        url: `http://127.0.0.1:${port}/events`,
        onEvent(event) {
          data.push(event.data);
          throw broken;
        },
      });
      cleanup(() => client.close());
      await waitFor(() => sse.connections.length === 1, 'the connection');
      sse.sendNewEvent({ data: 'a' });
      sse.sendNewEvent({ data: 'b' });
      await waitFor(() => data.length === 2, 'both events');
    });
    expect(data).toEqual(['a', 'b']);
    expect(uncaught).toEqual([broken, broken]);
  });
});

describe('the connection handle', () => {
  it('sse.handle() resolves to it; onConnect and every lifecycle event carry the same object', async () => {
    const hooked: SseConnection[] = [];
    const sse = createSse({
      heartbeatMs: 0,
      onConnect: (_req, connection) => {
        hooked.push(connection);
        expect(connection.isOpen).toBe(false);
        expect(connection.id).toBe(0); // numbered when it opens
        expect(() => connection.send({ data: 'too early' })).toThrow(/not open yet/);
      },
    });
    const events: SseLifecycleEvent[] = [];
    sse.subscribe((event) => events.push(event));
    sse.sendNewEvent({ data: 'stored', id: 'a' });
    const { port, resolved } = await mount(sse);
    const client = openRawStream(port, { path: '/events?x=1', headers: { 'Last-Event-ID': 'nope' }, cleanup });
    const handle = await waitFor(() => resolved[0], 'the handle');
    expect(handle).toMatchObject({ id: 1, lastEventId: 'nope', remoteAddress: '127.0.0.1', path: '/events?x=1' });
    expect(handle.isOpen).toBe(true);
    expect(handle.request.headers['last-event-id']).toBe('nope');
    expect(handle.info()).toMatchObject({ id: 1, lastEventIdRequested: 'nope' });
    expect(hooked).toEqual([handle]);
    expect(sse.connections).toEqual([handle]);
    await client.until((s) => s.events.length === 1, 'the replay');
    handle.close();
    const carrying = events.filter((event) => 'connection' in event);
    expect(carrying.map((event) => event.type)).toEqual([
      'connected',
      'unknown-last-event-id',
      'replayed',
      'disconnected',
    ]);
    for (const event of carrying) expect((event as { connection: SseConnection }).connection).toBe(handle);
    expect(handle.isOpen).toBe(false);
  });

  it('send() reaches that connection only, validated as sendNewEvent, never stored', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const { port, resolved } = await mount(sse);
    const a = openRawStream(port, { cleanup });
    const b = openRawStream(port, { cleanup });
    await waitFor(() => resolved.length === 2, 'two handles');
    const [first] = resolved;
    const sent = first?.send({ event: 'private', data: 'for A' });
    expect(sent).toMatchObject({ event: 'private', data: 'for A', connectionCount: 1 });
    expect(sent?.id).toBeUndefined();
    expect(() => first?.send({ event: 'a\nb' })).toThrow(SseFieldError);
    expect(() => first?.send({ data: 'x', id: true } as never)).toThrow(/never stored, so it takes no id/);
    sse.sendNewEvent({ data: 'for all' });
    await a.until((s) => s.events.length === 2, 'A’s two events');
    await b.until((s) => s.events.length === 1, 'B’s one event');
    expect(a.events.map((event) => event.data)).toEqual(['for A', 'for all']);
    expect(b.events.map((event) => event.data)).toEqual(['for all']);
    expect(sse.history).toEqual([]);
  });

  it('a refused request resolves to undefined; the refused event carries the handle onConnect saw', async () => {
    let seen: SseConnection | undefined;
    const sse = createSse({
      heartbeatMs: 0,
      onConnect: (_req, connection) => {
        seen = connection;
        return { status: 401, body: 'no' };
      },
    });
    const events: SseLifecycleEvent[] = [];
    sse.subscribe((event) => events.push(event));
    const { port, resolved } = await mount(sse);
    expect((await fetchOnce(port, { path: '/events' })).status).toBe(401);
    expect((await fetchOnce(port, { path: '/events', method: 'POST' })).status).toBe(405);
    await waitFor(() => resolved.length === 2, 'both settled');
    expect(resolved).toEqual([undefined, undefined]);
    const refused = events.filter((event) => event.type === 'refused');
    expect(refused.map((event) => event.status)).toEqual([401, 405]);
    expect(refused[0]?.connection).toBe(seen);
    expect(refused[1]?.connection).toBeUndefined();
    // Refusals take no connection number: the first one that streams is #1.
    sse.setOnConnect(undefined);
    const client = openRawStream(port, { cleanup });
    await client.until(() => sse.connections.length === 1, 'the connection');
    expect(sse.connections[0]?.id).toBe(1);
    expect(seen?.id).toBe(0);
  });
});

describe('startSseServer works with any Sse, through the public API only', () => {
  /** A stream that is not the object createSse returned: only the public methods, delegated. */
  function wrap(inner: Sse): Sse {
    return {
      sendNewEvent: (input) => inner.sendNewEvent(input),
      publish: (input) => inner.publish(input),
      sendTo: (id, input) => inner.sendTo(id, input),
      sendIdOnly: (id) => inner.sendIdOnly(id),
      sendComment: (text) => inner.sendComment(text),
      handle: (req, res) => inner.handle(req, res),
      fetch: (request, options) => inner.fetch(request, options),
      refuse: (req, res, answer) => inner.refuse(req, res, answer),
      get connections() {
        return inner.connections;
      },
      get history() {
        return inner.history;
      },
      get nextId() {
        return inner.nextId;
      },
      subscribe: (listener) => inner.subscribe(listener),
      close: (id) => inner.close(id),
      closeAll: () => inner.closeAll(),
      clearHistory: () => inner.clearHistory(),
      replaceHistory: (records) => inner.replaceHistory(records),
      setOnConnect: (hook) => inner.setOnConnect(hook),
      stop: () => inner.stop(),
    };
  }

  it('reports a foreign Host through the stream and ends its streams as stopped', async () => {
    const inner = createSse({ heartbeatMs: 0 });
    const events: SseLifecycleEvent[] = [];
    inner.subscribe((event) => events.push(event));
    const server = await startSseServer(0, wrap(inner));
    cleanup(async () => {
      inner.stop();
      await server.stop();
    });
    const foreign = await fetchOnce(server.port, { path: '/events', headers: { Host: 'evil.example' } });
    expect(foreign.status).toBe(403);
    expect(events.find((event) => event.type === 'refused')).toMatchObject({ status: 403, path: '/events' });
    const client = openRawStream(server.port, { cleanup });
    await client.until(() => inner.connections.length === 1, 'the connection');
    await server.stop();
    expect(events.filter((event) => event.type === 'disconnected')).toMatchObject([{ reason: 'stopped' }]);
  });
});
