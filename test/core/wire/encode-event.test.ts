import { describe, expect, it } from 'vitest';
import { createParser } from 'eventsource-parser';
import { encodeComment, encodeEvent, encodeIdOnly, type EncodableEvent } from '../../../core/wire/encode-event.js';
import { SseFieldError } from '../../../core/errors/sse-error.js';

const text = (event: EncodableEvent): string => encodeEvent(event).toString('utf8');

describe('encodeEvent', () => {
  it.each<[string, EncodableEvent, string]>([
    ['plain data', { data: 'Hello World!' }, 'data: Hello World!\n\n'],
    ['empty data', { data: '' }, 'data:\n\n'],
    ['no fields at all', {}, 'data:\n\n'],
    ['LF splits data lines', { data: 'a\nb' }, 'data: a\ndata: b\n\n'],
    ['CRLF splits once', { data: 'a\r\nb' }, 'data: a\ndata: b\n\n'],
    ['lone CR splits', { data: 'a\rb' }, 'data: a\ndata: b\n\n'],
    ['mixed endings and empty lines', { data: '\na\r\r\nb\r' }, 'data:\ndata: a\ndata:\ndata: b\ndata:\n\n'],
    ['a leading space survives (one space is the separator)', { data: ' x' }, 'data:  x\n\n'],
    ['spec example YHOO', { data: 'YHOO\n+2\n10' }, 'data: YHOO\ndata: +2\ndata: 10\n\n'],
    ['numeric id', { data: 'x', id: 7 }, 'id: 7\ndata: x\n\n'],
    ['string id', { data: 'x', id: 'abc' }, 'id: abc\ndata: x\n\n'],
    ['empty id resets the client cursor', { data: 'x', id: '' }, 'id:\ndata: x\n\n'],
    ['event name', { data: 'x', event: 'my-custom-event' }, 'event: my-custom-event\ndata: x\n\n'],
    ['empty event name is the default type', { data: 'x', event: '' }, 'data: x\n\n'],
    ['event without data still dispatches', { event: 'ping' }, 'event: ping\ndata:\n\n'],
    ['id without data still dispatches', { id: 3 }, 'id: 3\ndata:\n\n'],
    ['retry only: no data line', { retry: 2000 }, 'retry: 2000\n\n'],
    ['retry zero', { retry: 0 }, 'retry: 0\n\n'],
    ['retry with data', { retry: 10, data: 'x' }, 'retry: 10\ndata: x\n\n'],
    [
      'every field, in order id, event, retry, data',
      { id: 1, event: 'e', retry: 5, data: 'd' },
      'id: 1\nevent: e\nretry: 5\ndata: d\n\n',
    ],
    ['unicode', { data: 'ok… 🎉 é' }, 'data: ok… 🎉 é\n\n'],
    ['NUL in data is allowed', { data: '\0' }, 'data: \0\n\n'],
  ])('%s', (_name, event, expected) => {
    expect(text(event)).toBe(expected);
  });

  it('returns one Buffer holding UTF-8', () => {
    const bytes = encodeEvent({ data: 'é' });
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect([...bytes]).toEqual([...Buffer.from('data: \u00e9\n\n', 'utf8')]);
  });
});

describe('encodeEvent refuses what cannot be written', () => {
  it.each<[string, EncodableEvent, string, RegExp]>([
    ['LF in event', { event: 'a\nb' }, 'event', /^event name may not contain CR or LF: got "a\\nb"$/],
    ['CR in event', { event: 'a\rb' }, 'event', /event name may not contain CR or LF: got "a\\rb"/],
    ['LF in id', { id: '1\n2' }, 'id', /^id may not contain CR, LF or NUL: got "1\\n2"$/],
    ['CR in id', { id: '1\r' }, 'id', /id may not contain CR, LF or NUL/],
    ['NUL in id', { id: 'x\0y' }, 'id', /id may not contain CR, LF or NUL: got "x\\u0000y"/],
    ['negative numeric id', { id: -1 }, 'id', /numeric id must be a non-negative integer: got -1/],
    ['fractional numeric id', { id: 1.5 }, 'id', /non-negative integer: got 1.5/],
    [
      'negative retry',
      { retry: -1 },
      'retry',
      /^retry must be a whole number of milliseconds from 0 to 2147483647 \(about 24.8 days\): got -1$/,
    ],
    ['fractional retry', { retry: 1.5 }, 'retry', /got 1.5/],
    ['NaN retry', { retry: Number.NaN }, 'retry', /got NaN/],
    ['unsafe retry', { retry: 2 ** 60 }, 'retry', /from 0 to 2147483647/],
    ['retry beyond a timer (2^31), which --retry refuses too', { retry: 2 ** 31 }, 'retry', /got 2147483648$/],
    ['non-string data', { data: 5 as unknown as string }, 'data', /data must be a string: got 5/],
    ['non-string event', { event: {} as unknown as string }, 'event', /event name must be a string: got object/],
  ])('%s', (_name, event, field, message) => {
    let caught: unknown;
    try {
      encodeEvent(event);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SseFieldError);
    expect((caught as SseFieldError).field).toBe(field);
    expect((caught as SseFieldError).message).toMatch(message);
  });

  it('quotes only an excerpt of a long refused value', () => {
    const long = `${'x'.repeat(10_000)}\n`;
    expect(() => encodeEvent({ event: long })).toThrow(/got "x{60}…"$/);
  });
});

describe('encodeComment', () => {
  it.each<[string, string, string]>([
    ['one line', 'heartbeat', ': heartbeat\n\n'],
    ['empty', '', ':\n\n'],
    ['several lines, each its own comment line', 'a\nb\r\nc\rd', ': a\n: b\n: c\n: d\n\n'],
    ['an attempt to inject a field stays a comment', 'x\ndata: evil', ': x\n: data: evil\n\n'],
  ])('%s', (_name, comment, expected) => {
    expect(encodeComment(comment).toString('utf8')).toBe(expected);
  });
});

describe('encodeIdOnly', () => {
  it('writes a block with only an id line, which a parser dispatches no event for but takes the id from', () => {
    for (const [id, wire] of [
      ['9', 'id: 9\n\n'],
      ['', 'id:\n\n'],
      [' padded', 'id:  padded\n\n'],
    ] as const) {
      expect(encodeIdOnly(id).toString('utf8')).toBe(wire);
      const seen: string[] = [];
      const parser = createParser({ onId: (value) => seen.push(value), onEvent: () => seen.push('event') });
      parser.feed(wire);
      expect(seen).toEqual([id]);
    }
  });

  it('refuses an id with a line break or NUL', () => {
    for (const id of ['a\nb', 'a\rb', 'a\0b']) expect(() => encodeIdOnly(id)).toThrow(SseFieldError);
  });
});
