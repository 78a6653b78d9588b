import { SseFieldError } from '../errors/sse-error.js';

/**
Field validation for the wire encoder. Everything here runs on every send, so the
checks are plain string scans rather than regular expressions built per call.
*/

/** Longest excerpt of a refused value quoted in an error message. */
const QUOTE_LIMIT = 60;

/** A refused value as it appears in an error: JSON-quoted, so CR/LF/NUL are visible. */
export function quoteValue(value: unknown): string {
  if (typeof value !== 'string') {
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
  }
  const excerpt = value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
  return JSON.stringify(excerpt);
}

function hasLineBreak(text: string): boolean {
  return text.includes('\n') || text.includes('\r');
}

/** An `event:` value: any text without CR or LF (the line break would end the field). */
export function checkEventName(event: unknown): string {
  if (typeof event !== 'string') {
    throw new SseFieldError('event', `event name must be a string: got ${quoteValue(event)}`);
  }
  if (hasLineBreak(event)) {
    throw new SseFieldError('event', `event name may not contain CR or LF: got ${quoteValue(event)}`);
  }
  return event;
}

/**
An `id:` value: a non-negative integer, or text without CR, LF or NUL (browsers
ignore an id containing NUL, and a line break would end the field).
*/
export function checkEventId(id: unknown): string {
  if (typeof id === 'number') {
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new SseFieldError('id', `a numeric id must be a non-negative integer: got ${quoteValue(id)}`);
    }
    return String(id);
  }
  if (typeof id !== 'string') {
    throw new SseFieldError('id', `id must be a string or a non-negative integer: got ${quoteValue(id)}`);
  }
  if (hasLineBreak(id) || id.includes('\0')) {
    throw new SseFieldError('id', `id may not contain CR, LF or NUL: got ${quoteValue(id)}`);
  }
  return id;
}

/**
The largest `retry:` this library sends: 2^31 − 1 ms (about 24.8 days), the longest
delay a timer holds in Node and in browsers' 32-bit timer code. Longer values are
read very differently by clients (Chromium waits them out, other clients fire at once),
so the encoder, the `send --retry`/`retry` commands and `history load` all refuse them.
*/
export const MAX_RETRY_MS = 2_147_483_647;

/** True for a `retry:` value the library sends: a whole number of ms, 0 to MAX_RETRY_MS. */
export function isValidRetry(retry: unknown): retry is number {
  return typeof retry === 'number' && Number.isSafeInteger(retry) && retry >= 0 && retry <= MAX_RETRY_MS;
}

/** A `retry:` value: a whole number of milliseconds from 0 to MAX_RETRY_MS. */
export function checkRetry(retry: unknown): number {
  if (!isValidRetry(retry)) {
    throw new SseFieldError(
      'retry',
      `retry must be a whole number of milliseconds from 0 to ${MAX_RETRY_MS} (about 24.8 days): got ${quoteValue(retry)}`,
    );
  }
  return retry;
}

/** Event data: any string (line breaks become separate `data:` lines). */
export function checkData(data: unknown): string {
  if (typeof data !== 'string') {
    throw new SseFieldError('data', `data must be a string: got ${quoteValue(data)}`);
  }
  return data;
}

/** Splits on CRLF, lone CR and lone LF: the three line endings the SSE parser accepts. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
