import type { HistoryRecord } from '../stream/types.js';
import { encodeEvent } from '../wire/encode-event.js';
import { quoteValue } from '../wire/fields.js';
import { SseArgumentError, SseFieldError } from '../errors/sse-error.js';
import type { LogEntry } from './replay-log.js';

/** Encodes one stored record as it is replayed: with its id, event type, retry and data. */
export function entryFor(record: HistoryRecord): LogEntry {
  return {
    record,
    bytes: encodeEvent({
      id: record.id,
      data: record.data,
      ...(record.event === undefined ? {} : { event: record.event }),
      ...(record.retry === undefined ? {} : { retry: record.retry }),
    }),
  };
}

/**
Checks records that come from outside the stream (`initialHistory`, a history file,
`replaceHistory`) and turns them into log entries. Every problem names the record
(by position and id) and the valid form; fields are copied, so later changes to the
caller's objects cannot alter the log.
*/
export function entriesFromRecords(records: readonly HistoryRecord[], now: () => number): LogEntry[] {
  if (!Array.isArray(records)) {
    throw new SseArgumentError(
      'history',
      `history must be an array of records { id, data, event?, retry?, storedAt }: got ${typeof records}`,
    );
  }
  const entries: LogEntry[] = [];
  records.forEach((record: HistoryRecord, index) => {
    const where = `history record ${index + 1}`;
    if (typeof record !== 'object' || record === null) {
      throw new SseArgumentError('history', `${where} must be an object { id, data, event?, retry?, storedAt }`);
    }
    const { id, data, event, retry, storedAt } = record;
    if (typeof id === 'number' ? !Number.isSafeInteger(id) || id < 0 : typeof id !== 'string' || id === '') {
      throw new SseArgumentError(
        'history',
        `${where}: id must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER} or a non-empty string: got ${quoteValue(id)}`,
      );
    }
    if (typeof data !== 'string') {
      throw new SseArgumentError('history', `${where} (id ${quoteValue(id)}): data must be a string`);
    }
    const copy: HistoryRecord = Object.freeze({
      id,
      data,
      ...(event === undefined ? {} : { event }),
      ...(retry === undefined ? {} : { retry }),
      storedAt: typeof storedAt === 'number' && Number.isFinite(storedAt) ? storedAt : now(),
    });
    try {
      entries.push(entryFor(copy));
    } catch (error) {
      // The encoder names the field; add which record it was.
      if (error instanceof SseFieldError) {
        throw new SseFieldError(error.field, `${where} (id ${quoteValue(id)}): ${error.message}`);
      }
      throw error;
    }
  });
  return entries;
}
