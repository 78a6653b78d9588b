/**
The opt-in coalescing window (`createSse({ flushMs })`), byte for byte on a raw socket:
sends made over several event-loop turns leave as one HTTP/1.1 chunk per connection,
and every path that writes outside the batch (a new connection, `sendTo`, a filtered
send, `close`, `stop`) writes what the window holds first, so order is kept.
`eventsource-parser` (through `openRawStream`) judges what a client makes of the bytes.
*/
import { describe, expect, it } from 'vitest';
import { openRawStream, startTestStream, useCleanup, waitFor, type RawStream } from './support.js';

const cleanup = useCleanup();

/** One HTTP/1.1 chunk of `text`, as node:http frames `res.write(text)`. */
function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}

const LAST_CHUNK = '0\r\n\r\n';

function bodyOf(stream: RawStream): string {
  const head = stream.rawText.indexOf('\r\n\r\n');
  return head === -1 ? '' : stream.rawText.slice(head + 4);
}

/** One turn of the event loop: a send after it is in another tick than one before. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Long enough that the few turns a test takes fall inside one window on a loaded machine;
// the tests that flush early never wait for it.
const WINDOW_MS = 1000;

describe('createSse({ flushMs }): a coalescing window', () => {
  it('writes sends from several turns as one chunk, in order', async () => {
    const { sse, port } = await startTestStream(cleanup, { flushMs: 300 });
    const client = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 1, 'the connection');
    sse.sendNewEvent({ data: 'one' });
    await nextTurn();
    sse.sendComment('note');
    sse.sendNewEvent({ data: 'two', event: 'named' });
    await nextTurn();
    sse.sendNewEvent({ data: 'three' });
    await client.until((s) => s.events.length === 3, 'the three events');
    const payload = 'data: one\n\n: note\n\nevent: named\ndata: two\n\ndata: three\n\n';
    expect(bodyOf(client)).toBe(chunk(payload));
    expect(client.events.map((event) => event.data)).toEqual(['one', 'two', 'three']);
  });

  it('writes what the window holds before a new connection starts, which gets none of it', async () => {
    const { sse, port } = await startTestStream(cleanup, { flushMs: WINDOW_MS });
    const a = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 1, 'A');
    sse.sendNewEvent({ data: 'early' });
    const b = openRawStream(port, { path: '/events', cleanup });
    // B's start writes the window out: A gets 'early' without waiting for the timer.
    await a.until((s) => s.events.length === 1, 'A to get the early event');
    await waitFor(() => sse.connections.length === 2, 'B');
    sse.sendNewEvent({ data: 'late' });
    sse.stop(); // writes 'late' out to both before ending them
    await a.until((s) => s.ended, 'A to end');
    await b.until((s) => s.ended, 'B to end');
    expect(bodyOf(a)).toBe(chunk('data: early\n\n') + chunk('data: late\n\n') + LAST_CHUNK);
    expect(bodyOf(b)).toBe(chunk('data: late\n\n') + LAST_CHUNK);
  });

  it('keeps order with sendTo and filtered sends interleaved, and writes the rest on close and stop', async () => {
    const { sse, port } = await startTestStream(cleanup, { flushMs: WINDOW_MS });
    const a = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 1, 'A');
    const b = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 2, 'B');
    const [aId, bId] = sse.connections.map((connection) => connection.id);

    sse.sendNewEvent({ data: 'b1' });
    await nextTurn();
    sse.sendTo(aId ?? 0, { data: 'to-a' });
    sse.sendNewEvent({ data: 'b2' });
    await nextTurn();
    sse.sendNewEvent({ data: 'f1' }, { filter: (connection) => connection.id === bId });
    sse.sendNewEvent({ data: 'b3' });
    await nextTurn();
    sse.sendNewEvent({ data: 'b4' });
    sse.close(aId ?? 0);
    await a.until((s) => s.ended, 'A to end');
    expect(bodyOf(a)).toBe(
      chunk('data: b1\n\n') +
        chunk('data: to-a\n\n') +
        chunk('data: b2\n\n') +
        chunk('data: b3\n\ndata: b4\n\n') +
        LAST_CHUNK,
    );
    expect(a.events.map((event) => event.data)).toEqual(['b1', 'to-a', 'b2', 'b3', 'b4']);

    sse.sendNewEvent({ data: 'b5' });
    await nextTurn();
    sse.sendNewEvent({ data: 'b6' });
    sse.stop();
    await b.until((s) => s.ended, 'B to end on stop');
    expect(bodyOf(b)).toBe(
      chunk('data: b1\n\n') +
        chunk('data: b2\n\n') +
        chunk('data: f1\n\n') +
        chunk('data: b3\n\ndata: b4\n\n') +
        chunk('data: b5\n\ndata: b6\n\n') +
        LAST_CHUNK,
    );
  });

  it('holds a paused client to maxBufferedBytes: dropped as slow, what it got is a prefix of whole events', async () => {
    const maxBufferedBytes = 256 * 1024;
    const { sse, port, of } = await startTestStream(cleanup, { maxBufferedBytes, flushMs: 2 });
    const paused = openRawStream(port, { path: '/events', cleanup });
    paused.socket.pause();
    await waitFor(() => sse.connections.length === 1, 'the paused connection');

    const sent: string[] = [];
    let peak = 0;
    while (of('disconnected').length === 0 && sent.length < 400) {
      const data = `${sent.length + 1}:${'s'.repeat(30 * 1024)}`;
      sent.push(data);
      sse.sendNewEvent({ data });
      await nextTurn();
      peak = Math.max(peak, sse.connections[0]?.info().bufferedBytes ?? 0);
    }
    const [dropped] = of('disconnected');
    expect(dropped).toMatchObject({ reason: 'slow-client' });
    expect(peak).toBeLessThanOrEqual(maxBufferedBytes);
    const taken = dropped?.info.eventsSent ?? 0;
    expect(taken).toBeGreaterThan(0);
    expect(dropped?.info.bytesSent).toBe(
      sent
        .slice(0, taken)
        .map((data) => `data: ${data}\n\n`)
        .join('').length,
    );

    paused.socket.resume();
    await paused.until((s) => s.closed, 'the paused socket to close', 20_000);
    expect(paused.ended).toBe(false);
    expect(sent.slice(0, paused.events.length)).toEqual(paused.events.map((event) => event.data));
  });

  it('refuses a window outside 0 to 1000 ms', async () => {
    await expect(startTestStream(cleanup, { flushMs: -1 })).rejects.toThrow(
      /flushMs must be a whole number from 0 to 1000/,
    );
    await expect(startTestStream(cleanup, { flushMs: 1.5 })).rejects.toThrow(/flushMs/);
  });
});
