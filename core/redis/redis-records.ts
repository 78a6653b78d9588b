import type { ReplayStoreInput } from '../history/replay-store.js';
import type { HistoryRecord } from '../stream/types.js';
import { wireId } from './stream-ids.js';

/** One stream entry as a RESP2 reply gives it: its stream id and its flat field list. */
export type RawEntry = [string, string[]];

/**
The fields of one entry: `d` data, `t` storedAt, and when present `e` event, `r`
retry, `a` an application's string id, `n` an application's numeric id. Short names:
they are stored in every entry.
*/
export function entryFields(input: ReplayStoreInput): string[] {
  const fields = ['d', input.data, 't', String(input.storedAt)];
  if (input.event !== undefined) fields.push('e', input.event);
  if (input.retry !== undefined) fields.push('r', String(input.retry));
  if (typeof input.id === 'string') fields.push('a', input.id);
  if (typeof input.id === 'number') fields.push('n', String(input.id));
  return fields;
}

function fieldMap(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) map.set(fields[index] ?? '', fields[index + 1] ?? '');
  return map;
}

/** The application's id an entry was stored under, as its wire text, or undefined. */
export function applicationId(fields: readonly string[]): string | undefined {
  const map = fieldMap(fields);
  return map.get('a') ?? map.get('n');
}

/** The record an entry holds, with its id: the application's, or the log's under `epoch`. */
export function recordOf(entry: RawEntry, epoch: string): HistoryRecord {
  const [streamId, fields] = entry;
  const map = fieldMap(fields);
  const app = map.get('a');
  const numeric = map.get('n');
  const event = map.get('e');
  const retry = map.get('r');
  return Object.freeze({
    id: app ?? (numeric === undefined ? wireId(epoch, streamId) : Number(numeric)),
    data: map.get('d') ?? '',
    ...(event === undefined ? {} : { event }),
    ...(retry === undefined ? {} : { retry: Number(retry) }),
    storedAt: Number(map.get('t') ?? 0),
  });
}
