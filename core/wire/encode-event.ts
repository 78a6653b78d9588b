import { checkData, checkEventId, checkEventName, checkRetry, splitLines } from './fields.js';
import { SseFieldError } from '../errors/sse-error.js';

/** One event as the wire sees it; the stream turns `id: true` into a number first. */
export interface EncodableEvent {
  /** Event data: line breaks (CR, LF, CRLF) become separate `data:` lines. */
  readonly data?: string | undefined;
  /** Empty means "no event field", i.e. the default `message` type. */
  readonly event?: string | undefined;
  /** Written as given; `''` writes a bare `id:` line, which resets the client's last id. */
  readonly id?: string | number | undefined;
  /** Reconnection time in ms: a whole number from 0 to 2^31−1. */
  readonly retry?: number | undefined;
}

/**
One `name: value` line. An empty value is written as a bare `name:` (no trailing
space); a non-empty one gets exactly one space, which the parser strips, so a value
that itself starts with a space survives.
*/
function fieldLine(name: string, value: string): string {
  return value === '' ? `${name}:\n` : `${name}: ${value}\n`;
}

/**
True when the block carries only `retry:` (no data, id or event name): it changes the
reconnection time and a browser dispatches nothing, so it is not counted as an event.
*/
export function isRetryOnly(input: EncodableEvent): boolean {
  return input.retry !== undefined && input.data === undefined && input.id === undefined && (input.event ?? '') === '';
}

/**
Encodes one event into the bytes sent to every connection (WHATWG HTML §9.2.5).

Fields are written in the order id, event, retry, data. Data is split on CRLF, CR
and LF into one `data:` line each, so the client rebuilds it with LF line breaks.
Data lines are written whenever data, an event name or an id is given (even empty,
so the client dispatches an event); an event that carries only `retry` is written
as `retry: N` alone, which changes the reconnection time and dispatches nothing.

Hand-written rather than taken from a library: it is the hot path of every send and
small enough to check completely (see the property tests against eventsource-parser).

@throws {@link SseFieldError} (`ERR_SSE_FIELD`) for a value that cannot be written as its field.
@example
```ts
encodeEvent({ event: 'tick', data: 'line 1\nline 2', id: 7 }).toString();
// 'id: 7\nevent: tick\ndata: line 1\ndata: line 2\n\n'
```
*/
export function encodeEvent(input: EncodableEvent): Buffer {
  let text = '';
  if (input.id !== undefined) {
    text += fieldLine('id', checkEventId(input.id));
  }
  const event = input.event === undefined ? '' : checkEventName(input.event);
  if (event !== '') {
    text += fieldLine('event', event);
  }
  if (input.retry !== undefined) {
    text += `retry: ${checkRetry(input.retry)}\n`;
  }
  if (!isRetryOnly(input)) {
    const data = input.data === undefined ? '' : checkData(input.data);
    for (const line of splitLines(data)) {
      text += fieldLine('data', line);
    }
  }
  // The blank line dispatches the event. One Buffer.from per event: the caller
  // writes these same bytes to every connection.
  return Buffer.from(`${text}\n`, 'utf8');
}

/**
Encodes a block with only an `id:` line: a browser dispatches no event for it (the
data buffer is empty) but sets its last event ID, which it sends as Last-Event-ID on
reconnect; `''` writes a bare `id:`, which clears it.

@throws {@link SseFieldError} (`ERR_SSE_FIELD`) for an id with CR, LF or NUL.
*/
export function encodeIdOnly(id: string): Buffer {
  return Buffer.from(`${fieldLine('id', checkEventId(id))}\n`, 'utf8');
}

/**
Encodes a comment (`: text`), which clients ignore; used for heartbeats and notes to
a client. Each line of a multi-line comment gets its own `:`, and a blank line
follows so the comment can never merge with the next event's fields.
*/
export function encodeComment(text: string): Buffer {
  if (typeof text !== 'string') {
    throw new SseFieldError('comment', `comment must be a string: got ${typeof text}`);
  }
  let out = '';
  for (const line of splitLines(text)) {
    out += line === '' ? ':\n' : `: ${line}\n`;
  }
  return Buffer.from(`${out}\n`, 'utf8');
}
