import type { HistoryRecord } from '../stream/types.js';

/** A stored event together with its encoded bytes, so replay never re-encodes. */
export interface LogEntry {
  readonly record: HistoryRecord;
  readonly bytes: Buffer;
}

/**
The replay log: the newest id'd events, at most `limit` of them and at most
`maxBytes` of encoded bytes, oldest first, ids strictly increasing.
*/
export interface ReplayLog {
  readonly limit: number;
  readonly maxBytes: number;
  readonly size: number;
  /** Encoded bytes of the retained entries. */
  readonly bytes: number;
  /** Id of the oldest retained event; undefined when empty. */
  readonly oldestId: number | undefined;
  /** Id of the newest retained event; undefined when empty. */
  readonly newestId: number | undefined;
  /** Adds the newest event; returns the (oldest) entry dropped to make room, if any. */
  append(entry: LogEntry): LogEntry | undefined;
  /** Every retained entry whose id is greater than `id`, oldest first (O(log n) to find). */
  entriesAfter(id: number): LogEntry[];
  /** The oldest retained entry whose id is greater than `id` (O(log n)), for replay that follows the log as it drains. */
  firstAfter(id: number): LogEntry | undefined;
  /** How many retained entries have an id greater than `id` (O(log n)). */
  countAfter(id: number): number;
  /** The retained records, oldest first; one frozen array reused until the log changes. */
  records(): readonly HistoryRecord[];
  clear(): void;
  /** Replaces the contents; keeps the newest `limit` entries. Ids must increase. */
  replace(entries: readonly LogEntry[]): void;
}

/**
A fixed-capacity ring buffer. Appends overwrite the oldest slot once full, so memory
is bounded by `limit` and appending is O(1). Because ids only increase, the ring is
sorted by id, and "first event after X" is a binary search.
*/
export function createReplayLog(limit: number, maxBytes: number = Number.POSITIVE_INFINITY): ReplayLog {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`historyLimit must be a non-negative whole number (0 keeps nothing): got ${String(limit)}`);
  }
  if (maxBytes !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(maxBytes) || maxBytes < 0)) {
    throw new RangeError(`historyMaxBytes must be a non-negative whole number: got ${String(maxBytes)}`);
  }
  // Grown on demand up to `limit`, so a large limit costs nothing until it fills.
  let slots: LogEntry[] = [];
  let head = 0; // slot index of the oldest entry
  let size = 0;
  let bytes = 0;
  let snapshot: readonly HistoryRecord[] | undefined;

  /** The i-th oldest entry (0 ≤ i < size). */
  const at = (i: number): LogEntry => slots[(head + i) % limit] as LogEntry;

  /** Index (0..size) of the first entry with an id greater than `id`. */
  function firstIndexAfter(id: number): number {
    let low = 0;
    let high = size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (at(mid).record.id > id) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Drops the oldest entry (size > 0). */
  function dropOldest(): LogEntry {
    const dropped = slots[head] as LogEntry;
    // Released at once: a byte budget exists to bound memory.
    delete slots[head];
    head = (head + 1) % limit;
    size -= 1;
    bytes -= dropped.bytes.length;
    return dropped;
  }

  /** Drops the oldest entries until the byte budget holds; returns the first dropped. */
  function trimToBudget(): LogEntry | undefined {
    let first: LogEntry | undefined;
    while (size > 0 && bytes > maxBytes) {
      const dropped = dropOldest();
      first ??= dropped;
    }
    return first;
  }

  function append(entry: LogEntry): LogEntry | undefined {
    const newest = size === 0 ? undefined : at(size - 1).record.id;
    if (newest !== undefined && entry.record.id <= newest) {
      throw new RangeError(`replay log ids must increase: got ${entry.record.id} after ${newest}`);
    }
    if (limit === 0) {
      return entry;
    }
    snapshot = undefined;
    const dropped = size < limit ? undefined : dropOldest();
    slots[(head + size) % limit] = entry;
    size += 1;
    bytes += entry.bytes.length;
    return trimToBudget() ?? dropped;
  }

  function firstAfter(id: number): LogEntry | undefined {
    const index = firstIndexAfter(id);
    return index < size ? at(index) : undefined;
  }

  function entriesAfter(id: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = firstIndexAfter(id); i < size; i += 1) {
      out.push(at(i));
    }
    return out;
  }

  function records(): readonly HistoryRecord[] {
    if (snapshot === undefined) {
      const list: HistoryRecord[] = [];
      for (let i = 0; i < size; i += 1) {
        list.push(at(i).record);
      }
      snapshot = Object.freeze(list);
    }
    return snapshot;
  }

  function clear(): void {
    slots = [];
    head = 0;
    size = 0;
    bytes = 0;
    snapshot = undefined;
  }

  function replace(entries: readonly LogEntry[]): void {
    for (let i = 1; i < entries.length; i += 1) {
      const previous = (entries[i - 1] as LogEntry).record.id;
      const current = (entries[i] as LogEntry).record.id;
      if (current <= previous) {
        throw new RangeError(`replay log ids must increase: got ${current} after ${previous}`);
      }
    }
    clear();
    slots = limit === 0 ? [] : entries.slice(Math.max(0, entries.length - limit));
    size = slots.length;
    bytes = slots.reduce((sum, entry) => sum + entry.bytes.length, 0);
    trimToBudget();
  }

  return {
    get limit() {
      return limit;
    },
    get maxBytes() {
      return maxBytes;
    },
    get size() {
      return size;
    },
    get bytes() {
      return bytes;
    },
    get oldestId() {
      return size === 0 ? undefined : at(0).record.id;
    },
    get newestId() {
      return size === 0 ? undefined : at(size - 1).record.id;
    },
    append,
    entriesAfter,
    firstAfter,
    countAfter: (id) => size - firstIndexAfter(id),
    records,
    clear,
    replace,
  };
}
