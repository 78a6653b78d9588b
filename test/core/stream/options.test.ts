import { describe, expect, it } from 'vitest';
import { createSse } from '../../../core/stream/create-sse.js';
import type { SseOptions } from '../../../core/stream/types.js';
import { SseArgumentError, SseError, SseFieldError } from '../../../core/errors/sse-error.js';

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

  it.each([
    ['null', null, 'got null'],
    ['a number', 5, 'got number'],
    ['an array', [], 'got an array'],
  ])('refuses %s as options with an SseArgumentError, not a TypeError', (_name, options, got) => {
    const attempt = (): unknown => createSse(options as never);
    expect(attempt).toThrow(SseArgumentError);
    expect(attempt).toThrow(`createSse takes an options object such as { historyLimit: 100 }, or nothing: ${got}`);
  });

  it('refuses sendNewEvent after stop(): ERR_SSE_STOPPED, nothing stored', () => {
    const sse = createSse({ heartbeatMs: 0 });
    sse.sendNewEvent({ data: 'before', id: true });
    sse.stop();
    let thrown: unknown;
    try {
      sse.sendNewEvent({ data: 'after', id: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SseError);
    expect(thrown).toMatchObject({
      code: 'ERR_SSE_STOPPED',
      message:
        'this stream was stopped (sse.stop()), so it sends and stores nothing more; create another with createSse()',
    });
    expect(sse.history.map((record) => record.data)).toEqual(['before']);
    expect(sse.nextId).toBe(2);
  });

  it('refuses an event to store that is larger than historyMaxBytes, instead of returning an id it did not keep', () => {
    const persisted: unknown[] = [];
    const sse = createSse({ heartbeatMs: 0, historyMaxBytes: 1024, persist: (record) => persisted.push(record) });
    sse.sendNewEvent({ data: 'small', id: true });
    let thrown: unknown;
    try {
      sse.sendNewEvent({ data: 'x'.repeat(2000), id: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'ERR_SSE_EVENT_TOO_LARGE',
      message:
        'this event is 2014 bytes encoded, more than the replay log holds (historyMaxBytes 1024), so it could never be replayed; ' +
        'nothing was sent or stored: send it without an id, or raise historyMaxBytes',
    });
    // The older event is still there (keeping the large one would have pushed it out, then itself).
    expect(sse.history.map((record) => record.data)).toEqual(['small']);
    expect(persisted).toHaveLength(1);
    expect(sse.nextId).toBe(2);
    // Without an id it is only sent, as asked.
    expect(sse.sendNewEvent({ data: 'x'.repeat(2000) }).id).toBeUndefined();
    // historyMaxBytes 0 (or historyLimit 0) keeps nothing by choice: not refused.
    expect(createSse({ heartbeatMs: 0, historyMaxBytes: 0 }).sendNewEvent({ data: 'x', id: true }).id).toBe(1);
    sse.stop();
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
