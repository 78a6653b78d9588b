import { describe, expect, it } from 'vitest';
import { createSse } from '../../../core/stream/create-sse.js';
import type { SseOptions } from '../../../core/stream/types.js';
import { SseFieldError } from '../../../core/wire/sse-field-error.js';

describe('createSse options', () => {
  it.each<[string, SseOptions, string]>([
    [
      'negative historyLimit',
      { historyLimit: -1 },
      'historyLimit must be a whole number from 0 to 9007199254740991 (events kept for replay; 0 keeps none): got -1',
    ],
    [
      'fractional heartbeatMs',
      { heartbeatMs: 0.5 },
      'heartbeatMs must be a whole number from 0 to 2147483647 (milliseconds between heartbeat comments; 0 turns them off): got 0.5',
    ],
    ['zero maxBufferedBytes', { maxBufferedBytes: 0 }, 'maxBufferedBytes must be a whole number from 1'],
    ['negative retryMs', { retryMs: -5 }, 'retryMs must be a whole number from 0'],
    ['a retryMs beyond a timer (2^31)', { retryMs: 2 ** 31 }, 'retryMs must be a whole number from 0 to 2147483647'],
    ['zero maxConnections', { maxConnections: 0 }, 'maxConnections must be a whole number from 1'],
    ['empty token', { token: '' }, 'token must be a non-empty string (leave it out to let anyone connect)'],
    ['a bare origin string', { corsOrigins: 'http://x' as never }, "corsOrigins must be '*' or a list of origins"],
    ['a non-function hook', { onConnect: 5 as never }, 'onConnect must be a function: got number'],
    [
      'a fractional initial id',
      {
        initialHistory: [
          { id: 2, data: '', storedAt: 0 },
          { id: 1.5, data: '', storedAt: 0 },
        ],
      },
      'history record 2: id must be a whole number from 0 to 9007199254740991 or a non-empty string: got 1.5',
    ],
  ])('explains %s', (_name, options, message) => {
    expect(() => createSse(options)).toThrow(message);
  });

  it('keeps ids continuing after initialHistory even when historyLimit is 0', () => {
    const sse = createSse({ historyLimit: 0, initialHistory: [{ id: 41, data: 'old', storedAt: 0 }] });
    expect(sse.history).toEqual([]);
    expect(sse.sendNewEvent({ data: 'new', id: true }).id).toBe(42);
    expect(sse.history).toEqual([]);
  });
});

describe('sendNewEvent input', () => {
  it('assigns ids 1, 2, 3 … only to events sent with id: true', () => {
    const sse = createSse({ heartbeatMs: 0 });
    expect(sse.nextId).toBe(1);
    expect(sse.sendNewEvent({ data: 'a', id: true }).id).toBe(1);
    expect(sse.sendNewEvent({ data: 'b', id: false }).id).toBeUndefined();
    expect(sse.sendNewEvent({ data: 'c' }).id).toBeUndefined();
    expect(sse.sendNewEvent({ data: 'd', id: true }).id).toBe(2);
    expect(sse.nextId).toBe(3);
    expect(sse.history.map((record) => record.data)).toEqual(['a', 'd']);
  });

  it('returns the exact bytes sent', () => {
    const sse = createSse({ heartbeatMs: 0 });
    expect(sse.sendNewEvent({ data: 'x\ny', event: 'e', id: true }).bytes.toString()).toBe(
      'id: 1\nevent: e\ndata: x\ndata: y\n\n',
    );
    expect(sse.sendNewEvent({ retry: 3000 }).bytes.toString()).toBe('retry: 3000\n\n');
  });

  it.each<[string, object, string, RegExp]>([
    [
      'a newline in the event name',
      { data: 'x', event: 'a\nb' },
      'event',
      /event name may not contain CR or LF: got "a\\nb"/,
    ],
    [
      'a negative id',
      { data: 'x', id: -5 },
      'id',
      /a numeric id must be a whole number from 0 to 9007199254740991 \(Number.MAX_SAFE_INTEGER\): got -5/,
    ],
    ['a fractional id', { data: 'x', id: 1.5 }, 'id', /a numeric id must be a whole number from 0 to 9007199254740991/],
    [
      'an id beyond 2^53',
      { data: 'x', id: 2 ** 53 },
      'id',
      /a numeric id must be a whole number from 0 to 9007199254740991/,
    ],
    ['an empty id', { data: 'x', id: '' }, 'id', /id may not be empty/],
    ['an id with a line break', { data: 'x', id: 'a\nb' }, 'id', /id may not contain CR, LF or NUL: got "a\\nb"/],
    ['an id with NUL', { data: 'x', id: 'a\0b' }, 'id', /id may not contain CR, LF or NUL/],
    [
      'an object id',
      { data: 'x', id: {} },
      'id',
      /id must be true \(the stream's next integer\), a string or a non-negative whole number, or left out \(not stored\): got object/,
    ],
    ['a negative retry', { retry: -1 }, 'retry', /retry must be a whole number of milliseconds from 0 to 2147483647/],
    [
      'a retry beyond a timer (2^31 ms), as --retry refuses it',
      { retry: 2 ** 31 },
      'retry',
      /from 0 to 2147483647 \(about 24.8 days\): got 2147483648/,
    ],
    ['non-string data', { data: 7 }, 'data', /data must be a string: got 7/],
  ])('refuses %s, naming the field, and sends nothing', (_name, input, field, message) => {
    const sse = createSse({ heartbeatMs: 0 });
    const seen: string[] = [];
    sse.subscribe((event) => seen.push(event.type));
    let caught: unknown;
    try {
      // A JavaScript caller may pass anything: the stream must refuse it clearly.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      sse.sendNewEvent(input as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SseFieldError);
    expect((caught as SseFieldError).field).toBe(field);
    expect((caught as Error).message).toMatch(message);
    expect(seen).toEqual([]);
    expect(sse.nextId).toBe(1);
  });

  it('refuses a comment that is not text', () => {
    const sse = createSse({ heartbeatMs: 0 });
    expect(() => sse.sendComment(5 as never)).toThrow('comment must be a string: got number');
  });
});
