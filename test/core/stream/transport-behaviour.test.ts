/**
One behaviour suite, run against every way of mounting a stream (transports.ts):
`sse.handle(req, res)` on node:http, and `sse.fetch(request)` behind node:http and
behind Hono. Real servers on port 0, raw HTTP/1.1 clients, `eventsource-parser` as
the oracle of what a client sees.
*/
import { describe, expect, it } from 'vitest';
import { createSse, type Sse, type SseLifecycleEvent, type SseOptions } from '../../../core/index.js';
import { fetchOnce, openRawStream, useCleanup, waitFor, type RawStream } from './support.js';
import { transports } from './transports.js';

const cleanup = useCleanup();

describe.each(transports)('$name', (transport) => {
  interface Mounted {
    readonly sse: Sse;
    readonly port: number;
    readonly of: <T extends SseLifecycleEvent['type']>(type: T) => Array<Extract<SseLifecycleEvent, { type: T }>>;
    open(options?: { path?: string; headers?: Record<string, string> }): RawStream;
  }

  async function mount(options: SseOptions = {}): Promise<Mounted> {
    const sse = createSse({ heartbeatMs: 0, ...options });
    const lifecycle: SseLifecycleEvent[] = [];
    sse.subscribe((event) => lifecycle.push(event));
    const mounted = await transport.mount(sse);
    cleanup(async () => {
      sse.stop();
      await mounted.close();
    });
    return {
      sse,
      port: mounted.port,
      of: (type) => lifecycle.filter((event) => event.type === type) as never,
      open: (open = {}) => openRawStream(mounted.port, { path: '/events', ...open, cleanup }),
    };
  }

  it('streams with the event-stream headers: stored events first, then live ones, in order', async () => {
    const { sse, open } = await mount({ retryMs: 1500 });
    sse.sendNewEvent({ data: 'one', id: true });
    sse.sendNewEvent({ event: 'greeting', data: 'two\nlines', id: 'app-2' });
    const client = open();
    await client.until((s) => s.events.length === 2, 'the replay');
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream');
    expect(client.headers['cache-control']).toBe('no-cache, no-transform');
    expect(client.headers['x-accel-buffering']).toBe('no');
    expect(client.retries).toEqual([1500]);
    sse.sendNewEvent({ data: 'three', id: true });
    sse.sendNewEvent({ data: 'not stored' });
    await client.until((s) => s.events.length === 4, 'the live events');
    expect(client.events.map(({ id, event, data }) => ({ id, event, data }))).toEqual([
      { id: '1', event: undefined, data: 'one' },
      { id: 'app-2', event: 'greeting', data: 'two\nlines' },
      { id: '2', event: undefined, data: 'three' },
      { id: undefined, event: undefined, data: 'not stored' },
    ]);
    const info = sse.connections[0]?.info();
    expect(info).toMatchObject({ id: 1, remoteAddress: '127.0.0.1', path: '/events', eventsSent: 4 });
    expect(info?.remotePort).toBe(client.socket.localPort);
  });

  it('replays after the Last-Event-ID header, or after ?lastEventId= (page reloads)', async () => {
    const { sse, open, of } = await mount();
    for (const data of ['a', 'b', 'c']) sse.sendNewEvent({ data, id: true });
    const byHeader = open({ headers: { 'Last-Event-ID': '1' } });
    const byQuery = open({ path: '/events?lastEventId=2' });
    await byHeader.until((s) => s.events.length === 2, 'the replay after 1');
    await byQuery.until((s) => s.events.length === 1, 'the replay after 2');
    expect(byHeader.events.map((event) => event.data)).toEqual(['b', 'c']);
    expect(byQuery.events.map((event) => event.data)).toEqual(['c']);
    expect(sse.connections.map((handle) => handle.lastEventId).sort()).toEqual(['1', '2']);
    await waitFor(() => of('replayed').length === 2, 'both replays reported');

    const stranger = open({ headers: { 'Last-Event-ID': 'not-ours' } });
    await stranger.until((s) => s.events.length === 3, 'the whole log for an unknown id');
    expect(of('unknown-last-event-id')).toMatchObject([{ value: 'not-ours' }]);
  });

  it('lets onConnect refuse with its own status, headers and body, or stream with extra headers', async () => {
    const { sse, port, open, of } = await mount({
      onConnect: async (req) => {
        await Promise.resolve();
        if (req.headers['x-ticket'] !== 'ok') {
          return { status: 401, headers: { 'WWW-Authenticate': 'Ticket' }, body: 'no ticket' };
        }
        return { status: 200, headers: { 'X-Seen-Path': req.url ?? '' } };
      },
    });
    const refused = await fetchOnce(port, { path: '/events' });
    expect(refused).toMatchObject({ status: 401, body: 'no ticket\n', headers: { 'www-authenticate': 'Ticket' } });
    expect(of('refused')).toMatchObject([{ status: 401, reason: 'onConnect answered 401' }]);

    const client = open({ path: '/events?x=1', headers: { 'X-Ticket': 'ok' } });
    await client.until((s) => s.status !== undefined, 'the answer');
    expect(client.status).toBe(200);
    expect(client.headers['x-seen-path']).toBe('/events?x=1');
    await waitFor(() => sse.connections.length === 1, 'the connection');

    sse.setOnConnect(() => ({ status: 204 }));
    expect((await fetchOnce(port, { path: '/events' })).status).toBe(204);

    sse.setOnConnect(() => ({ status: 200, headers: { 'bad header': 'x' } }));
    const invalid = await fetchOnce(port, { path: '/events' });
    expect(invalid.status).toBe(500);
    expect(invalid.body).toMatch(/onConnect headers are invalid/);
  });

  it('answers CORS: the allowed origin is echoed, a foreign one refused, a preflight answered', async () => {
    const { port, open } = await mount({ corsOrigins: ['http://pages.test'] });
    const allowed = open({ headers: { Origin: 'http://pages.test' } });
    await allowed.until((s) => s.status !== undefined, 'the answer');
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://pages.test');
    expect(allowed.headers.vary).toBe('Origin');

    const foreign = await fetchOnce(port, { path: '/events', headers: { Origin: 'http://evil.test' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/may not read this event stream/);

    const preflight = await fetchOnce(port, {
      method: 'OPTIONS',
      path: '/events',
      headers: { Origin: 'http://pages.test', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://pages.test');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Last-Event-ID/);
  });

  it('needs the token when it has one: ?token= or Authorization: Bearer', async () => {
    const { sse, port, open } = await mount({ token: 's3cret' });
    const missing = await fetchOnce(port, { path: '/events' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="event stream"');
    expect((await fetchOnce(port, { path: '/events?token=wrong' })).status).toBe(401);
    open({ path: '/events?token=s3cret' });
    open({ headers: { Authorization: 'Bearer s3cret' } });
    await waitFor(() => sse.connections.length === 2, 'both token holders');
    expect(sse.connections.map((connection) => connection.path).sort()).toEqual(['/events', '/events?token=***']);
  });

  it('answers HEAD with the headers only, other methods 405 with Allow, and a full stream 503', async () => {
    const { sse, port, open } = await mount({ maxConnections: 1 });
    const head = await fetchOnce(port, { method: 'HEAD', path: '/events' });
    expect(head).toMatchObject({ status: 200, body: '', headers: { 'content-type': 'text/event-stream' } });
    const post = await fetchOnce(port, { method: 'POST', path: '/events' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(sse.connections).toHaveLength(0);
    open();
    await waitFor(() => sse.connections.length === 1, 'the first connection');
    const full = await fetchOnce(port, { path: '/events' });
    expect(full.status).toBe(503);
    expect(full.body).toMatch(/limit/);
  });

  it('names the channel on its connections, and sends heartbeats', async () => {
    const { sse, open, of } = await mount({ channel: 'news', heartbeatMs: 25 });
    const client = open({ path: '/events/news' });
    await client.until((s) => s.comments.includes('heartbeat'), 'a heartbeat comment');
    expect(sse.connections[0]).toMatchObject({ channel: 'news', path: '/events/news' });
    expect(of('heartbeat').length).toBeGreaterThan(0);
  });

  it('ends a connection when the client leaves, when the stream closes it, and after ?closeAfter=N', async () => {
    const { sse, open, of } = await mount({ closeAfterQuery: true });
    const leaving = open();
    await waitFor(() => sse.connections.length === 1, 'the first connection');
    leaving.close();
    await waitFor(() => of('disconnected').length === 1, 'the client to be gone');
    expect(of('disconnected')[0]?.reason).toBe('client-closed');

    const closed = open();
    await waitFor(() => sse.connections.length === 1, 'the second connection');
    sse.sendNewEvent({ data: 'before the close' });
    sse.close(sse.connections[0]?.id ?? 0);
    await closed.until((s) => s.ended, 'the stream to end');
    expect(closed.events.map((event) => event.data)).toEqual(['before the close']);
    expect(of('disconnected')[1]?.reason).toBe('server-closed');

    const counted = open({ path: '/events?closeAfter=2' });
    await waitFor(() => sse.connections.length === 1, 'the third connection');
    for (const data of ['1', '2', '3']) sse.sendNewEvent({ data });
    await counted.until((s) => s.ended, 'the stream to end after two events');
    expect(counted.events.map((event) => event.data)).toEqual(['1', '2']);
    expect(of('disconnected')[2]?.reason).toBe('close-after');
  });

  it('drops a client that stops reading once it holds maxBufferedBytes, and never holds more', async () => {
    const maxBuffered = 256 * 1024;
    const { sse, open, of } = await mount({ maxBufferedBytes: maxBuffered });
    const stalled = open();
    await waitFor(() => sse.connections.length === 1, 'the connection');
    stalled.socket.pause(); // never read again: the kernel's buffers fill, then the server's
    let sent = 0;
    let peakBuffered = 0;
    // Bounded: enough to fill loopback socket buffers many times over.
    while (of('disconnected').length === 0 && sent < 800) {
      sent += 1;
      sse.sendNewEvent({ data: `${sent}:${'x'.repeat(64 * 1024)}` });
      await new Promise((resolve) => setImmediate(resolve));
      for (const connection of sse.connections) peakBuffered = Math.max(peakBuffered, connection.info().bufferedBytes);
    }
    expect(of('disconnected')).toMatchObject([{ reason: 'slow-client' }]);
    expect(peakBuffered).toBeGreaterThan(0);
    expect(peakBuffered).toBeLessThanOrEqual(maxBuffered);
    expect(sse.connections).toHaveLength(0);
  });
});
