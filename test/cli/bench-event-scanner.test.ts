/**
The load generator's scanner (bench/load/event-scanner.ts) on real bytes: it must count
every event however TCP splits the stream, and flag what would make a benchmark's
figures wrong: a corrupted send time, an event out of send order, an earlier one again.
*/
import { describe, expect, it } from 'vitest';
import { createEventScanner } from '../../bench/load/event-scanner.js';

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';

function stamp(us: number): string {
  return `@${String(us).padStart(16, '0')};xxxx`;
}

/** The body an SSE server writes for these events, one HTTP/1.1 chunk per event. */
function wire(datas: readonly string[]): Buffer {
  const body = datas
    .map((data) => {
      const text = `data: ${data}\n\n`;
      return `${text.length.toString(16)}\r\n${text}\r\n`;
    })
    .join('');
  return Buffer.from(HEAD + body, 'latin1');
}

/** Feeds `bytes` cut at `cut`, and what the scanner made of them. */
function scan(bytes: Buffer, cut: number) {
  const scanner = createEventScanner();
  const seen: number[] = [];
  scanner.feed(bytes.subarray(0, cut), (us) => seen.push(us));
  scanner.feed(bytes.subarray(cut), (us) => seen.push(us));
  return { seen, status: scanner.status, malformed: scanner.malformed, outOfOrder: scanner.outOfOrder };
}

describe('the load generator scanner', () => {
  it('reads every event and its send time, wherever the stream is cut', () => {
    const bytes = wire([stamp(1000), stamp(2000), ': comment', stamp(2000), stamp(3500)]);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(scan(bytes, cut)).toEqual({ seen: [1000, 2000, 2000, 3500], status: 200, malformed: 0, outOfOrder: 0 });
    }
  });

  it('counts a corrupted send time instead of reading it as a time', () => {
    const bytes = wire([stamp(1000), stamp(2000).replace('2000', '2x00'), stamp(3000)]);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(scan(bytes, cut)).toMatchObject({ seen: [1000, 3000], malformed: 1, outOfOrder: 0 });
    }
  });

  it('counts an event out of send order and an earlier event read again', () => {
    expect(scan(wire([stamp(1000), stamp(3000), stamp(2000)]), 0)).toMatchObject({ outOfOrder: 1 });
    expect(scan(wire([stamp(1000), stamp(2000), stamp(1000), stamp(2000)]), 0)).toMatchObject({
      seen: [1000, 2000, 1000, 2000],
      outOfOrder: 1,
    });
  });
});
