/**
`sse.fetch(request)` on its own, with no server in front: what only a web Response
has (a body stream that is pulled, a request signal, a cancel), measured exactly.
The behaviour it shares with `sse.handle` is in transport-behaviour.test.ts.
*/
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createSse, SseArgumentError, type Sse, type SseLifecycleEvent, type SseOptions } from '../../../core/index.js';
import { useCleanup, waitFor } from './support.js';

const cleanup = useCleanup();

function stream(options: SseOptions = {}): { sse: Sse; lifecycle: SseLifecycleEvent[] } {
  const sse = createSse({ heartbeatMs: 0, ...options });
  const lifecycle: SseLifecycleEvent[] = [];
  sse.subscribe((event) => lifecycle.push(event));
  cleanup(() => sse.stop());
  return { sse, lifecycle };
}

const reasons = (lifecycle: SseLifecycleEvent[]): string[] =>
  lifecycle.flatMap((event) => (event.type === 'disconnected' ? [event.reason] : []));

/** Reads a body as events until `count` have arrived. */
async function readEvents(body: ReadableStream<Uint8Array>, count: number): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  reader.releaseLock();
  return events;
}

describe('sse.fetch', () => {
  it('counts the bytes the client has not pulled against maxBufferedBytes, and drops it past them', async () => {
    const maxBufferedBytes = 100_000;
    const { sse, lifecycle } = stream({ maxBufferedBytes });
    const response = await sse.fetch(new Request('http://app.test/events'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.has('connection')).toBe(false); // the server in front manages it
    const eventBytes = sse.sendNewEvent({ data: 'x'.repeat(9_990) }).bytes.length; // 10,000 bytes
    await Promise.resolve(); // the batch is written in a microtask
    expect(sse.connections[0]?.info().bufferedBytes).toBe(eventBytes);
    for (let sent = 2; sent <= 10; sent += 1) sse.sendNewEvent({ data: 'x'.repeat(9_990) });
    await Promise.resolve();
    // Each write is held until pulled: ten events are exactly the limit, and still allowed.
    expect(sse.connections[0]?.info().bufferedBytes).toBe(10 * eventBytes);
    expect(sse.connections[0]?.info().slow).toBe(true);
    sse.sendNewEvent({ data: 'one byte too many' });
    await Promise.resolve();
    expect(sse.connections).toHaveLength(0);
    expect(reasons(lifecycle)).toEqual(['slow-client']);
    // What was queued is dropped with the connection: the body fails, it does not end cleanly.
    await expect(response.body?.getReader().read()).rejects.toThrow(/dropped this connection/);
  });

  it('pauses a long replay until the client pulls, then writes the rest in order', async () => {
    const { sse, lifecycle } = stream({ maxBufferedBytes: 200_000, historyLimit: 100 });
    for (let id = 1; id <= 100; id += 1) sse.sendNewEvent({ data: `${id}:${'r'.repeat(4_000)}`, id: true });
    const response = await sse.fetch(new Request('http://app.test/events'));
    // 400 KB stored, 200 KB allowed: the replay stops at the body's high-water mark instead.
    const held = sse.connections[0]?.info().bufferedBytes ?? 0;
    expect(held).toBeGreaterThanOrEqual(64 * 1024);
    expect(held).toBeLessThan(200_000);
    const events = await readEvents(response.body as ReadableStream<Uint8Array>, 100);
    expect(events.map((event) => Number(event.id))).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    await waitFor(() => lifecycle.some((event) => event.type === 'replayed'), 'the replay to be reported');
    expect(reasons(lifecycle)).toEqual([]);
  });

  it("ends the connection when the request's signal aborts, or the body is cancelled", async () => {
    const { sse, lifecycle } = stream();
    const aborted = new AbortController();
    const first = await sse.fetch(new Request('http://app.test/events', { signal: aborted.signal }));
    await sse.fetch(new Request('http://app.test/events')).then((response) => response.body?.cancel());
    expect(reasons(lifecycle)).toEqual(['client-closed']);
    expect(sse.connections).toHaveLength(1);
    aborted.abort();
    expect(reasons(lifecycle)).toEqual(['client-closed', 'client-closed']);
    expect(sse.connections).toHaveLength(0);
    expect(await first.body?.getReader().read()).toEqual({ done: true, value: undefined });

    // A request already aborted never streams.
    const connected = lifecycle.filter((event) => event.type === 'connected').length;
    const late = await sse.fetch(new Request('http://app.test/events', { signal: AbortSignal.abort() }));
    expect(late.body).toBeNull();
    expect(lifecycle.filter((event) => event.type === 'connected')).toHaveLength(connected);
    expect(sse.connections).toHaveLength(0);
  });

  it('gives onConnect the request in node:http shape, and the connection its peer', async () => {
    const seen: Array<Record<string, string | undefined>> = [];
    const { sse } = stream({
      onConnect: (req) => {
        seen.push({ method: req.method, url: req.url, host: req.headers.host, cookie: req.headers.cookie });
      },
    });
    const response = await sse.fetch(
      new Request('http://app.test:8080/events/news?lastEventId=4', { headers: { Cookie: 'session=1' } }),
      { remoteAddress: '203.0.113.9', remotePort: 4711 },
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual([
      { method: 'GET', url: '/events/news?lastEventId=4', host: 'app.test:8080', cookie: 'session=1' },
    ]);
    expect(sse.connections[0]?.info()).toMatchObject({
      remoteAddress: '203.0.113.9',
      remotePort: 4711,
      path: '/events/news?lastEventId=4',
      lastEventIdRequested: '4',
      protocol: 'h1',
    });
    expect(sse.connections[0]?.request.url).toBe('/events/news?lastEventId=4');
  });

  it('answers a refusal, HEAD and OPTIONS with a plain Response, and rejects what is not a Request', async () => {
    const { sse } = stream({ onConnect: () => ({ status: 204 }) });
    const refused = await sse.fetch(new Request('http://app.test/events'));
    expect(refused.status).toBe(204);
    expect(refused.body).toBeNull();
    sse.setOnConnect(undefined);
    const head = await sse.fetch(new Request('http://app.test/events', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const options = await sse.fetch(new Request('http://app.test/events', { method: 'OPTIONS' }));
    expect(options.status).toBe(204);
    expect(sse.connections).toHaveLength(0);

    await expect(sse.fetch({ url: '/events' } as unknown as Request)).rejects.toBeInstanceOf(SseArgumentError);
    await expect(sse.fetch(new Request('http://app.test/events'), { remotePort: -1 })).rejects.toMatchObject({
      code: 'ERR_SSE_ARGUMENT',
      argument: 'remotePort',
    });
  });
});
