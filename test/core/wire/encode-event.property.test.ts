import fc from 'fast-check';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { encodeComment, encodeEvent, type EncodableEvent } from '../../../core/wire/encode-event.js';
import { MAX_RETRY_MS } from '../../../core/wire/fields.js';
import { SseFieldError } from '../../../core/errors/sse-error.js';

/** What an independent parser (eventsource-parser) reads back from some bytes. */
interface Parsed {
  readonly events: EventSourceMessage[];
  readonly retries: number[];
  readonly comments: string[];
  readonly errors: string[];
}

/** Decodes bytes in the given pieces (a streaming TextDecoder, as clients do) and parses them. */
function parse(bytes: Buffer, cuts: readonly number[] = []): Parsed {
  const parsed: Parsed = { events: [], retries: [], comments: [], errors: [] };
  const parser = createParser({
    onEvent: (event) => parsed.events.push(event),
    onRetry: (retry) => parsed.retries.push(retry),
    onComment: (comment) => parsed.comments.push(comment),
    onError: (error) => parsed.errors.push(error.message),
  });
  const decoder = new TextDecoder();
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    parser.feed(decoder.decode(bytes.subarray(start, cut), { stream: true }));
    start = cut;
  }
  parser.feed(decoder.decode(bytes.subarray(start)));
  return parsed;
}

const lineBreak = fc.constantFrom('\r', '\n', '\r\n');
/** Any Unicode text (whole code points) interleaved with all three line endings. */
const anyData = fc
  .array(fc.oneof(fc.string({ unit: 'binary' }), lineBreak), { maxLength: 12 })
  .map((parts) => parts.join(''));
const noLineBreak = (text: string): boolean => !text.includes('\r') && !text.includes('\n');
const eventName = fc.string({ unit: 'binary', maxLength: 40 }).filter(noLineBreak);
const idValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).filter((id) => noLineBreak(id) && !id.includes('\0')),
  fc.nat(),
  fc.constant(Number.MAX_SAFE_INTEGER),
);
const retryValue = fc.oneof(fc.nat(), fc.constant(MAX_RETRY_MS));

const anyEvent: fc.Arbitrary<EncodableEvent> = fc.record(
  { data: anyData, event: eventName, id: idValue, retry: retryValue },
  { requiredKeys: [] },
);

/** Line endings as the client rebuilds them. */
const normalized = (data: string): string => data.replace(/\r\n|\r/g, '\n');

describe('encodeEvent against eventsource-parser', () => {
  it('every encoded event parses back to the same data, type, id and retry', () => {
    fc.assert(
      fc.property(anyEvent, (input) => {
        const parsed = parse(encodeEvent(input));
        expect(parsed.errors).toEqual([]);
        expect(parsed.retries).toEqual(input.retry === undefined ? [] : [input.retry]);
        const retryOnly =
          input.retry !== undefined && input.data === undefined && input.id === undefined && !input.event;
        if (retryOnly) {
          expect(parsed.events).toEqual([]);
          return;
        }
        expect(parsed.events).toHaveLength(1);
        const [event] = parsed.events;
        expect(event?.data).toBe(normalized(input.data ?? ''));
        expect(event?.event).toBe(input.event === '' ? undefined : input.event);
        expect(event?.id).toBe(input.id === undefined ? undefined : String(input.id));
      }),
      { numRuns: 500 },
    );
  });

  it('a run of events parses the same however the bytes are split', () => {
    fc.assert(
      fc.property(
        fc.array(anyEvent, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (inputs, rawCuts) => {
          const bytes = Buffer.concat([encodeComment('hello'), ...inputs.map((input) => encodeEvent(input))]);
          const cuts = rawCuts.map((cut) => cut % (bytes.length + 1));
          const whole = parse(bytes);
          const split = parse(bytes, cuts);
          expect(split).toEqual(whole);
          expect(whole.comments).toEqual(['hello']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('comments never turn into fields, whatever they contain', () => {
    fc.assert(
      fc.property(anyData, (comment) => {
        const parsed = parse(Buffer.concat([encodeComment(comment), encodeEvent({ data: 'after' })]));
        expect(parsed.events).toEqual([{ data: 'after', event: undefined, id: undefined }]);
        expect(parsed.retries).toEqual([]);
        expect(parsed.comments.join('\n')).toBe(normalized(comment).split('\n').join('\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every event name and id with a line break, naming the field', () => {
    const withBreak = fc
      .tuple(fc.string({ unit: 'binary', maxLength: 10 }), lineBreak, fc.string({ unit: 'binary', maxLength: 10 }))
      .map(([a, b, c]) => a + b + c);
    fc.assert(
      fc.property(withBreak, fc.constantFrom('event', 'id'), (value, field) => {
        let caught: unknown;
        try {
          encodeEvent({ data: 'x', [field]: value });
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(SseFieldError);
        expect((caught as SseFieldError).field).toBe(field);
        expect((caught as Error).message).toContain(
          field === 'event' ? 'event name may not contain CR or LF' : 'id may not contain CR, LF or NUL',
        );
      }),
    );
  });
});
