import { SseFieldError } from '../errors/sse-error.js';
import { checkEventId, quoteValue } from '../wire/fields.js';
import type { SseEventInput } from './types.js';

/*
What an event's `id` means: `true` is the stream's next integer, a string or a
non-negative safe integer is the application's own id, `false` or none is not stored.
Sends that are never stored (filtered, to one connection) take no id.
*/

/**
An application's own id for `sendNewEvent`: a non-empty string without CR, LF or NUL,
or a non-negative safe integer (sent in decimal).
*/
export function checkStoredId(id: unknown): number | string {
  if (typeof id === 'number') {
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new SseFieldError(
        'id',
        `a numeric id must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER): got ${quoteValue(id)}`,
      );
    }
    return id;
  }
  if (typeof id !== 'string') {
    throw new SseFieldError(
      'id',
      `id must be true (the stream's next integer), a string or a non-negative whole number, or left out (not stored): got ${quoteValue(id)}`,
    );
  }
  if (id === '') {
    throw new SseFieldError(
      'id',
      "id may not be empty (an empty id: line clears the browser's Last-Event-ID, so it could never be replayed from)",
    );
  }
  checkEventId(id);
  return id;
}

/** The application's own id of an input, checked; undefined for `true` (the stream issues one), `false` or none. */
export function givenId(id: SseEventInput['id']): number | string | undefined {
  return id === undefined || id === true || id === false ? undefined : checkStoredId(id);
}

/** `id: true` once every safe integer has been issued: no more events can be stored. */
export function checkIdsLeft(nextId: number): void {
  if (nextId > Number.MAX_SAFE_INTEGER) {
    throw new SseFieldError(
      'id',
      `every id up to ${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER, the largest exact JSON number) ` +
        'has been issued, so no more events can be stored; send without an id, or start a new history',
    );
  }
}

/** A filtered event takes no id (`false` is allowed: it means not stored). */
export function refuseFilteredId(id: unknown): void {
  if (id !== undefined && id !== false) {
    throw new SseFieldError(
      'id',
      'a filtered event is never stored (a client reconnecting would be replayed events picked for others), ' +
        'so it takes no id; send it without one, or store it for everyone with sendNewEvent({ id, … })',
    );
  }
}

/** An event sent to one connection takes no id. */
export function refuseDirectId(id: unknown): void {
  if (id !== undefined) {
    throw new SseFieldError(
      'id',
      'an event sent to one connection is never stored, so it takes no id; use sendNewEvent({ id: true, … }) to store one',
    );
  }
}
