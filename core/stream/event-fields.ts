import { SseArgumentError } from '../errors/sse-error.js';
import type { ReplayStoreInput } from '../history/replay-store.js';
import { checkData } from '../wire/fields.js';
import type { Serialize } from './serialize-data.js';
import type { HistoryRecord, SentEvent, SseEventInput } from './types.js';

/** The event fields shared by `sendNewEvent` and `sendTo`; undefined means absent. */
export interface EventFields {
  readonly data: string | undefined;
  readonly event: string | undefined;
  readonly retry: number | undefined;
}

/**
Reads the fields of an input; an empty event name means the default type (none).
Data that is not a string is serialized here, once per send.
*/
export function readInput(input: SseEventInput, serialize: Serialize): EventFields {
  if (typeof input !== 'object' || input === null) {
    throw new SseArgumentError(
      'event',
      `an event must be an object { data?, event?, id?, retry? }: got ${typeof input}`,
    );
  }
  const data =
    input.data === undefined
      ? undefined
      : checkData(typeof input.data === 'string' ? input.data : serialize(input.data));
  const event = input.event === '' ? undefined : input.event;
  return { data, event, retry: input.retry };
}

/** The optional fields that are present, for records without `undefined` keys. */
export function defined(fields: EventFields): { event?: string; retry?: number } {
  return {
    ...(fields.event === undefined ? {} : { event: fields.event }),
    ...(fields.retry === undefined ? {} : { retry: fields.retry }),
  };
}

/** The event fields of a stored record. */
export function fieldsOf(record: HistoryRecord): EventFields {
  return { data: record.data, event: record.event, retry: record.retry };
}

/** What a store other than the built-in ones is asked to keep (`id` undefined: the store issues one). */
export function storeInput(fields: EventFields, id: number | string | undefined, storedAt: number): ReplayStoreInput {
  return { id, data: fields.data ?? '', ...defined(fields), storedAt };
}

/** The `sent` report of one send. */
export function sentEvent(
  fields: EventFields,
  id: number | string | undefined,
  bytes: Buffer,
  count: number,
  sentAt: number,
): SentEvent {
  return Object.freeze({
    ...defined(fields),
    ...(id === undefined ? {} : { id }),
    data: fields.data ?? '',
    sentAt,
    bytes,
    connectionCount: count,
  });
}
