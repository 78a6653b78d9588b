/**
The HTTP/1.1 wire, byte for byte, on every path a chunk takes: each tick's events are
framed once and that one buffer is written straight to every socket (see
write-batch.ts, direct-socket.ts). The raw bytes off a real socket are compared with
the chunked framing node:http itself writes, and `eventsource-parser` (through
`openRawStream`) judges what a client makes of them.
*/
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSse } from '../../../core/stream/create-sse.js';
import type { Sse } from '../../../core/stream/types.js';
import { openRawStream, startTestStream, useCleanup, waitFor, type RawStream } from './support.js';

const cleanup = useCleanup();

/** One HTTP/1.1 chunk of `text`, as node:http frames `res.write(text)`. */
function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}

const LAST_CHUNK = '0\r\n\r\n';
const HEARTBEAT = ': heartbeat\n\n';

/** Everything received after the response head, as bytes (latin1 keeps them one to one). */
function bodyOf(stream: RawStream): string {
  const head = stream.rawText.indexOf('\r\n\r\n');
  return head === -1 ? '' : stream.rawText.slice(head + 4);
}

/** Same as `bodyOf`, as UTF-8 text (for payloads with characters beyond latin1). */
function utf8BodyOf(stream: RawStream): string {
  return Buffer.from(bodyOf(stream), 'latin1').toString('utf8');
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A node:http server that mounts the stream with `sse.handle`, with `wrap` applied to each response first. */
async function mountWith(sse: Sse, wrap: (res: ServerResponse) => void = () => undefined): Promise<number> {
  const server = createServer((req, res) => {
    wrap(res);
    void sse.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(
    () =>
      new Promise<void>((resolve) => {
        sse.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

describe('the HTTP/1.1 wire, byte for byte', () => {
  it('frames a coalesced burst once: one buffer, written whole to every socket, one chunk per tick', async () => {
    const { sse, server, port } = await startTestStream(cleanup);
    // Every write the server makes on each accepted socket.
    const writes = new Map<Socket, unknown[]>();
    server.server.on('connection', (socket: Socket) => {
      const seen: unknown[] = [];
      writes.set(socket, seen);
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = (...args: unknown[]) => {
        seen.push(args[0]);
        return write(...args);
      };
    });
    const a = openRawStream(port, { path: '/events', cleanup });
    const b = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 2, 'two connections');
    for (const seen of writes.values()) seen.length = 0; // the heads

    sse.sendNewEvent({ data: 'one', id: true });
    sse.sendNewEvent({ data: 'two', event: 'named' });
    sse.sendComment('note');
    sse.sendNewEvent({ data: 'three\nlines' });
    const payload = 'id: 1\ndata: one\n\nevent: named\ndata: two\n\n: note\n\ndata: three\ndata: lines\n\n';
    await a.until((s) => s.events.length === 3, 'A to get the burst');
    await b.until((s) => s.events.length === 3, 'B to get the burst');

    // One write per socket, and the same Buffer object on both: framed once.
    const [first, second] = [...writes.values()];
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(first?.[0]).toBe(second?.[0]);
    expect(Buffer.isBuffer(first?.[0]) && first[0].toString()).toBe(chunk(payload));

    sse.sendNewEvent({ data: 'é, a later tick' });
    await a.until((s) => s.events.length === 4, 'A to get the next tick');
    await b.until((s) => s.events.length === 4, 'B to get the next tick');
    for (const stream of [a, b]) {
      expect(stream.headers['transfer-encoding']).toBe('chunked');
      expect(utf8BodyOf(stream)).toBe(chunk(payload) + chunk('data: é, a later tick\n\n'));
      expect(stream.events.map(({ id, event, data }) => ({ id, event, data }))).toEqual([
        { id: '1', event: undefined, data: 'one' },
        { id: undefined, event: 'named', data: 'two' },
        { id: undefined, event: undefined, data: 'three\nlines' },
        { id: undefined, event: undefined, data: 'é, a later tick' },
      ]);
      expect(stream.comments).toEqual(['note']);
    }
  });

  it('paces a replay on the socket draining, then writes the live chunks that waited, in order', async () => {
    // 30 MB: more than loopback's socket buffers take (the kernel grows them to tens of MB).
    const stored = 3000;
    const filler = 'r'.repeat(10_000);
    const { sse, port, of } = await startTestStream(cleanup, { historyLimit: stored });
    for (let index = 1; index <= stored; index += 1) sse.sendNewEvent({ data: `${index}:${filler}`, id: true });

    const client = openRawStream(port, { path: '/events', cleanup });
    client.socket.pause(); // the replay fills the kernel's buffers, then waits for 'drain'
    await waitFor(() => sse.connections.length === 1, 'the connection');
    await waitFor(() => (sse.connections[0]?.info().bufferedBytes ?? 0) > 0, 'the replay to wait for the socket');
    // The positive signal above: the socket holds bytes it could not pass on, so a paced
    // replay now waits for 'drain' (an unpaced one would have written the whole log,
    // and reported it, before the socket filled).
    expect(of('replayed')).toEqual([]);
    sse.sendNewEvent({ data: 'live one', id: true });
    sse.sendNewEvent({ data: 'live two' });
    expect(of('replayed')).toEqual([]); // the live sends queue behind the replay, which still waits on the client

    client.socket.resume();
    await client.until((s) => s.events.length === stored + 2, 'the replay and the live events', 50_000);
    expect(of('replayed')).toMatchObject([{ count: stored, firstId: 1, lastId: stored }]);

    const replayed = Array.from({ length: stored }, (_, index) => `id: ${index + 1}\ndata: ${index + 1}:${filler}\n\n`);
    const live = `id: ${stored + 1}\ndata: live one\n\ndata: live two\n\n`;
    // Every chunk is framed as node:http frames it, and ends where an event ends.
    expect(client.chunks.map((bytes) => bytes.toString().endsWith('\n\n'))).not.toContain(false);
    expect(bodyOf(client)).toBe(client.chunks.map((bytes) => chunk(bytes.toString())).join(''));
    expect(client.chunks.length).toBeGreaterThan(2); // in slices, not one write of the whole log
    expect(client.body).toBe(replayed.join('') + live);
    expect(client.chunks.at(-1)?.toString()).toBe(live); // the two live sends, one tick, one chunk
  }, 60_000);

  it('writes a heartbeat between events as its own chunk', async () => {
    const { sse, port } = await startTestStream(cleanup, { heartbeatMs: 40 });
    const client = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 1, 'the connection');
    sse.sendNewEvent({ data: 'before' });
    await client.until((s) => s.events.length === 1, 'the first event');
    const heartbeatsBefore = client.comments.length;
    await client.until((s) => s.comments.length > heartbeatsBefore, 'a heartbeat');
    sse.sendNewEvent({ data: 'after' });
    await client.until((s) => s.events.length === 2, 'the second event');

    const beat = escaped(chunk(HEARTBEAT));
    const shape = new RegExp(
      `^(?:${beat})*${escaped(chunk('data: before\n\n'))}(?:${beat})+${escaped(chunk('data: after\n\n'))}(?:${beat})*$`,
    );
    expect(bodyOf(client)).toMatch(shape);
    expect(client.events.map((event) => event.data)).toEqual(['before', 'after']);
    expect(new Set(client.comments)).toEqual(new Set(['heartbeat']));
  });

  it('drops a slow client mid-stream: what it got is a prefix of the framed stream, and the parser sees whole events only', async () => {
    const maxBufferedBytes = 256 * 1024;
    const { sse, port, of } = await startTestStream(cleanup, { maxBufferedBytes });
    const client = openRawStream(port, { path: '/events', cleanup });
    client.socket.pause();
    await waitFor(() => sse.connections.length === 1, 'the connection');

    const sent: string[] = [];
    let peak = 0;
    while (of('disconnected').length === 0 && sent.length < 400) {
      const data = `${sent.length + 1}:${'s'.repeat(60 * 1024)}`;
      sent.push(data);
      sse.sendNewEvent({ data });
      await new Promise((resolve) => setImmediate(resolve)); // one event per tick: one chunk each
      peak = Math.max(peak, sse.connections[0]?.info().bufferedBytes ?? 0);
    }
    const [dropped] = of('disconnected');
    expect(dropped).toMatchObject({ reason: 'slow-client' });
    expect(peak).toBeLessThanOrEqual(maxBufferedBytes);
    const taken = dropped?.info.eventsSent ?? 0;
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(sent.length); // the last one was refused
    const written = sent.slice(0, taken).map((data) => `data: ${data}\n\n`);
    expect(dropped?.info.bytesSent).toBe(written.join('').length);

    client.socket.resume();
    await client.until((s) => s.closed, 'the socket to close', 20_000);
    const full = written.map(chunk).join('');
    const body = bodyOf(client);
    // What left before the drop arrives intact; what Node still held for it is gone.
    expect(full.startsWith(body)).toBe(true);
    expect(body.length).toBeLessThan(full.length);
    expect(client.ended).toBe(false); // no last chunk: the client sees a cut, not an end
    expect(client.events.map((event) => event.data)).toEqual(sent.slice(0, client.events.length));
  });

  it('ends a connection closed mid-burst after the events sent before, while the others go on', async () => {
    const { sse, port } = await startTestStream(cleanup);
    const a = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 1, 'A');
    const b = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 2, 'B');
    const aId = sse.connections[0]?.id ?? 0;

    sse.sendNewEvent({ data: 'one' });
    sse.sendNewEvent({ data: 'two' });
    sse.close(aId);
    sse.sendNewEvent({ data: 'three' });
    await a.until((s) => s.ended, 'A to end');
    await b.until((s) => s.events.length === 3, 'B to get all three');
    expect(bodyOf(a)).toBe(chunk('data: one\n\ndata: two\n\n') + LAST_CHUNK);
    expect(bodyOf(b)).toBe(chunk('data: one\n\ndata: two\n\n') + chunk('data: three\n\n'));

    sse.sendNewEvent({ data: 'four' });
    sse.stop();
    await b.until((s) => s.ended, 'B to end on stop');
    expect(bodyOf(b)).toBe(
      chunk('data: one\n\ndata: two\n\n') + chunk('data: three\n\n') + chunk('data: four\n\n') + LAST_CHUNK,
    );
    expect(b.events.map((event) => event.data)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('cuts a shared chunk for a connection at its closeAfter count, framed on its own', async () => {
    const { sse, port } = await startTestStream(cleanup, { closeAfterQuery: true });
    const cut = openRawStream(port, { path: '/events?closeAfter=2', cleanup });
    const whole = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 2, 'two connections');
    sse.sendNewEvent({ data: 'one' });
    sse.sendNewEvent({ data: 'two' });
    sse.sendNewEvent({ data: 'three' });
    await cut.until((s) => s.ended, 'the cut connection to end');
    await whole.until((s) => s.events.length === 3, 'the other to get all three');
    expect(bodyOf(cut)).toBe(chunk('data: one\n\ndata: two\n\n') + LAST_CHUNK);
    expect(bodyOf(whole)).toBe(chunk('data: one\n\ndata: two\n\ndata: three\n\n'));
  });

  it('leaves the writing to the response when something wraps its write (compression middleware, say)', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const seenByWrapper: string[] = [];
    const port = await mountWith(sse, (res) => {
      const write = res.write.bind(res) as (chunk: unknown) => boolean;
      res.write = ((chunk: unknown) => {
        seenByWrapper.push(Buffer.from(chunk as Uint8Array).toString());
        return write(chunk);
      }) as typeof res.write;
    });
    const client = openRawStream(port, { cleanup });
    await waitFor(() => sse.connections.length === 1, 'the connection');
    sse.sendNewEvent({ data: 'one' });
    sse.sendNewEvent({ data: 'two' });
    await client.until((s) => s.events.length === 2, 'both events');
    expect(seenByWrapper).toEqual(['data: one\n\ndata: two\n\n']);
    expect(bodyOf(client)).toBe(chunk('data: one\n\ndata: two\n\n'));
  });

  it('writes an HTTP/1.0 client (no chunked encoding) the bare events', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const port = await mountWith(sse);
    const client = openRawStream(port, {
      requestText: `GET /events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
      cleanup,
    });
    await waitFor(() => sse.connections.length === 1, 'the connection');
    sse.sendNewEvent({ data: 'one' });
    sse.sendNewEvent({ data: 'two' });
    await client.until((s) => s.events.length === 2, 'both events');
    sse.sendNewEvent({ data: 'three' });
    await client.until((s) => s.events.length === 3, 'the third');
    expect(client.headers['transfer-encoding']).toBeUndefined();
    expect(bodyOf(client)).toBe('data: one\n\ndata: two\n\ndata: three\n\n');
  });

  it('writes a pipelined stream through its response, after the answer queued before it on the socket', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const server = createServer((req, res) => {
      if (req.url === '/first') setTimeout(() => res.end('first'), 100);
      else void sse.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(
      () =>
        new Promise<void>((resolve) => {
          sse.stop();
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const client = openRawStream((server.address() as AddressInfo).port, {
      requestText:
        'GET /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' +
        'GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n',
      cleanup,
    });
    // The stream opens while /first still holds the socket: its bytes wait in its response.
    await waitFor(() => sse.connections.length === 1, 'the stream to open behind /first');
    sse.sendNewEvent({ data: 'early' });
    await client.until((s) => s.rawText.includes('data: early'), 'the early event', 5000);
    sse.sendNewEvent({ data: 'late' });
    await client.until((s) => s.rawText.includes('data: late'), 'the late event');
    const streamHead = client.rawText.indexOf('\r\ncontent-type: text/event-stream', 0);
    const raw = client.rawText;
    const firstAnswer = raw.indexOf('\r\n\r\nfirst') === -1 ? raw.indexOf('first\r\n') : raw.indexOf('\r\n\r\nfirst');
    expect(firstAnswer).toBeGreaterThan(0);
    const secondHead = raw.indexOf('HTTP/1.1 200', 1);
    expect(secondHead).toBeGreaterThan(firstAnswer);
    expect(streamHead === -1 || streamHead > firstAnswer).toBe(true);
    const streamBody = raw.slice(raw.indexOf('\r\n\r\n', secondHead) + 4);
    expect(streamBody).toBe(chunk('data: early\n\n') + chunk('data: late\n\n'));
  });
});
