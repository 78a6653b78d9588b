import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventStreamDecoder } from '../../../core/client/create-event-stream-decoder.js';
import type { DecodedIgnoredLine } from '../../../core/client/create-event-stream-decoder.js';
import { allStreamVectors, normalizeExpected } from './support/stream-vectors.js';
import type { StreamVector } from './support/stream-vectors.js';

interface DecodeResult {
  events: { event: string; data: string; lastEventId: string }[];
  retries: number[];
  comments: string[];
  ignored: DecodedIgnoredLine[];
}

/** Feed the chunks as one response body, then end it as the server would. */
function decode(chunks: readonly Uint8Array[], lastEventId?: string): DecodeResult {
  const result: DecodeResult = { events: [], retries: [], comments: [], ignored: [] };
  const decoder = createEventStreamDecoder({
    ...(lastEventId === undefined ? {} : { lastEventId }),
    onEvent: ({ event, data, lastEventId: id }) => result.events.push({ event, data, lastEventId: id }),
    onRetry: (retryMs) => result.retries.push(retryMs),
    onComment: (comment) => result.comments.push(comment),
    onIgnoredLine: (ignored) => result.ignored.push(ignored),
  });
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return result;
}

function splitAt(bytes: Uint8Array, positions: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const position of positions) {
    chunks.push(bytes.subarray(start, position));
    start = position;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

function expectVector(vector: StreamVector, result: DecodeResult, context: string): void {
  expect(result.events, context).toEqual(normalizeExpected(vector.expected));
  if (vector.retryMs !== undefined) expect(result.retries.at(-1), context).toBe(vector.retryMs);
}

describe('createEventStreamDecoder on the spec and WPT vectors', () => {
  for (const vector of allStreamVectors) {
    describe(vector.name, () => {
      const bytes = new TextEncoder().encode(vector.body);

      it('decodes the whole body as a browser would', () => {
        expectVector(vector, decode([bytes]), 'whole');
      });

      it('decodes the body split in two at every byte position', () => {
        for (let position = 1; position < bytes.length; position += 1) {
          expectVector(vector, decode(splitAt(bytes, [position])), `split at byte ${position}`);
        }
      });

      it('decodes the body fed one byte at a time', () => {
        const single = Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));
        expectVector(vector, decode(single), 'byte by byte');
      });

      it('decodes the body cut into any chunks (property)', () => {
        fc.assert(
          fc.property(
            fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 8 }),
            (positions) => {
              const sorted = positions.filter((p) => p < bytes.length).sort((a, b) => a - b);
              expectVector(vector, decode(splitAt(bytes, sorted)), `split at ${sorted.join(',')}`);
            },
          ),
          { numRuns: 100 },
        );
      });
    });
  }
});

describe('createEventStreamDecoder details', () => {
  const encode = (text: string) => new TextEncoder().encode(text);

  it('dispatches on a CR at the end of a chunk without waiting for the next byte', () => {
    const events: string[] = [];
    const decoder = createEventStreamDecoder({ onEvent: (event) => events.push(event.data) });
    decoder.feed(encode('data:x\r\r'));
    expect(events).toEqual(['x']);
    // The LF of a CRLF split across chunks is not a second line ending.
    decoder.feed(encode('\ndata:y\r'));
    decoder.feed(encode('\n\r\n'));
    expect(events).toEqual(['x', 'y']);
  });

  it("takes a CR as the last byte of the body as a line ending, as the spec's grammar does", () => {
    expect(decode([encode('data:x\n\r')]).events.map((event) => event.data)).toEqual(['x']);
    expect(decode([encode('data:x\r')]).events).toEqual([]);
  });

  it('discards a partial event at the end of the body and keeps the last event ID', () => {
    const events: { data: string; lastEventId: string }[] = [];
    const decoder = createEventStreamDecoder({
      onEvent: ({ data, lastEventId }) => events.push({ data, lastEventId }),
    });
    decoder.feed(encode('id: 5\ndata: a\n\nid: 6\ndata: half'));
    decoder.end();
    expect(decoder.lastEventId).toBe('5');
    // The next response starts clean, and a BOM at its start is stripped again.
    decoder.feed(encode('\uFEFFdata: b\n\n'));
    decoder.end();
    expect(events).toEqual([
      { data: 'a', lastEventId: '5' },
      { data: 'b', lastEventId: '5' },
    ]);
  });

  it("starts from a given last event ID and reports each block's own id apart from the sticky one", () => {
    const ids: { id: string | undefined; lastEventId: string }[] = [];
    const decoder = createEventStreamDecoder({
      lastEventId: '41',
      onEvent: ({ id, lastEventId }) => ids.push({ id, lastEventId }),
    });
    decoder.feed(encode('data: a\n\nid: 42\ndata: b\n\nid\ndata: c\n\n'));
    expect(ids).toEqual([
      { id: undefined, lastEventId: '41' },
      { id: '42', lastEventId: '42' },
      { id: '', lastEventId: '' },
    ]);
  });

  it('reports each block with only an id, in order with the events, however the body is split', () => {
    const bytes = new TextEncoder().encode('id: a\ndata: 1\n\nid: b\n\nid: c\n\ndata: 2\n\nid:\n\nid: d\ndata: 3\n\n');
    for (let position = 0; position <= bytes.length; position += 1) {
      const seen: string[] = [];
      const decoder = createEventStreamDecoder({
        onEvent: ({ data, id }) => seen.push(`event ${data} ${String(id)}`),
        onIdOnly: (id) => seen.push(`id-only ${JSON.stringify(id)}`),
      });
      for (const chunk of splitAt(bytes, [position])) decoder.feed(chunk);
      decoder.end();
      expect(seen).toEqual(['event 1 a', 'id-only "b"', 'id-only "c"', 'event 2 undefined', 'id-only ""', 'event 3 d']);
      expect(decoder.lastEventId).toBe('d');
    }
  });

  it('decodes multi-byte characters split across chunks and never honours a charset', () => {
    const bytes = encode('data: h\u00e9llo \u{1F600}\n\n');
    for (let position = 1; position < bytes.length; position += 1) {
      const result = decode(splitAt(bytes, [position]));
      expect(result.events.map((event) => event.data)).toEqual(['h\u00e9llo \u{1F600}']);
    }
  });

  it('keeps decoded text that merely looks like a BOM (C3 AF C2 BB C2 BF) as part of the first field name', () => {
    const body = Uint8Array.of(0xc3, 0xaf, 0xc2, 0xbb, 0xc2, 0xbf, ...new TextEncoder().encode('data:1\n\ndata:2\n\n'));
    expect(decode([body]).ignored.map((line) => line.field)).toEqual(['\u00ef\u00bb\u00bfdata']);
    // Split, the events are the same; eventsource-parser then drops the partial line
    // without reporting it (it cannot become a field), so only the events are compared.
    for (let position = 0; position < body.length; position += 1) {
      const result = decode(splitAt(body, [position]));
      expect(
        result.events.map((event) => event.data),
        `split at byte ${position}`,
      ).toEqual(['2']);
    }
  });

  it('stops at maxBufferSize, says so once, and starts over after end()', () => {
    const overflows: string[] = [];
    const data: string[] = [];
    const decoder = createEventStreamDecoder({
      maxBufferSize: 100,
      onOverflow: (message) => overflows.push(message),
      onEvent: (event) => data.push(event.data),
    });
    decoder.feed(new TextEncoder().encode(`data: ${'x'.repeat(200)}`));
    decoder.feed(new TextEncoder().encode('more\n\ndata: lost\n\n'));
    expect(decoder.overflowed).toBe(true);
    expect(overflows).toHaveLength(1);
    decoder.end();
    decoder.feed(new TextEncoder().encode('data: kept\n\n'));
    expect(data).toEqual(['kept']);
  });

  it('keeps lastEventId and overflowed read-only: a JavaScript caller writing them changes nothing', () => {
    const seen: { data: string; lastEventId: string }[] = [];
    const decoder = createEventStreamDecoder({
      onEvent: ({ data, lastEventId }) => seen.push({ data, lastEventId }),
    });
    decoder.feed(encode('id: 1\ndata: a\n\n'));
    // What a JavaScript caller (no types) could do: both writes are refused.
    const writable = decoder as { lastEventId: string; overflowed: boolean };
    expect(() => {
      writable.lastEventId = 'forged';
    }).toThrow(TypeError);
    expect(Reflect.set(decoder, 'overflowed', true)).toBe(false);
    expect([decoder.lastEventId, decoder.overflowed]).toEqual(['1', false]);
    decoder.feed(encode('data: b\n\n'));
    expect(seen).toEqual([
      { data: 'a', lastEventId: '1' },
      { data: 'b', lastEventId: '1' },
    ]);
  });

  it('reports comments and explains ignored lines', () => {
    const result = decode([encode(': hello\nData: x\nretry: soon\ndata: y\n\n')]);
    expect(result.comments).toEqual(['hello']);
    expect(result.events.map((event) => event.data)).toEqual(['y']);
    expect(result.ignored.map((line) => [line.reason, line.field])).toEqual([
      ['unknown-field', 'Data'],
      ['invalid-retry', 'retry'],
    ]);
    expect(result.ignored[0]?.message).toContain('data, event, id and retry');
    expect(result.ignored[1]?.message).toContain('ASCII digits');
  });
});
