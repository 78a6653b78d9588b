import type { HistoryRecord } from '../stream/types.js';
import { numericId } from '../wire/decimal-id.js';
import { SseArgumentError } from '../errors/sse-error.js';

/** A stored event together with its encoded bytes, so replay never re-encodes. */
export interface LogEntry {
  readonly record: HistoryRecord;
  readonly bytes: Buffer;
}

/** An entry with its position: `seq` counts appends (1, 2, 3 …) and is never reused. */
interface SequencedEntry {
  readonly entry: LogEntry;
  readonly seq: number;
}

/**
The key an id is found by. `5` and `"5"` are the same id on the wire, so a canonical
decimal string is keyed as its number; numbers stay numbers (no string made per send).
*/
function idKey(id: number | string): number | string {
  return numericId(id) ?? id;
}

/**
The replay log: the newest stored events, at most `limit` of them and at most
`maxBytes` of encoded bytes, in insertion order. Ids are whatever was sent (the
stream's integers, an application's numbers or strings), so positions are kept apart
from ids: every append gets the next `seq`, and an id is found through a Map from its
wire form to the seq of the newest entry stored under it (O(1)). An id stored again
points at the newer entry (the newer wins).
*/
export interface ReplayLog {
  readonly limit: number;
  readonly maxBytes: number;
  readonly size: number;
  /** Encoded bytes of the retained entries. */
  readonly bytes: number;
  /** Seq of the oldest retained entry; `nextSeq` when empty. */
  readonly oldestSeq: number;
  /** The seq the next append gets; the newest retained entry has `nextSeq - 1`. */
  readonly nextSeq: number;
  /** The oldest retained record; undefined when empty. */
  readonly oldest: HistoryRecord | undefined;
  /** Adds the newest event; returns the (oldest) entry dropped to make room, if any. */
  append(entry: LogEntry): LogEntry | undefined;
  /** Seq of the newest retained entry stored under this id (a Last-Event-ID value), O(1). */
  seqOf(cursor: string): number | undefined;
  /**
  Seq a string id had when it left the log (dropped or cleared), for the last `limit`
  string ids that left (at least 1000): a client asking for one of those missed
  events. Numeric ids are not remembered: their order tells (see replay.ts).
  */
  droppedSeqOf(cursor: string): number | undefined;
  /** The oldest retained entry with a seq greater than `seq` (O(1)), for replay that follows the log as it drains. */
  firstAfter(seq: number): SequencedEntry | undefined;
  /** How many retained entries have a seq greater than `seq` (O(1)). */
  countAfter(seq: number): number;
  /** The retained entries after `seq`, oldest first: every one, or the first `max` (a page copies only itself). */
  entriesAfter(seq: number, max?: number): LogEntry[];
  /** The retained records, oldest first; one frozen array reused until the log changes. */
  records(): readonly HistoryRecord[];
  clear(): void;
  /** Drops the oldest entries until at most `keep` remain (their ids are remembered as dropped). */
  trim(keep: number): void;
  /** Replaces the contents; keeps the newest `limit` entries. */
  replace(entries: readonly LogEntry[]): void;
}

/** Fewest ids remembered after they leave the log (see `droppedSeqOf`). */
const MIN_DROPPED_MEMORY = 1000;

/**
A fixed-capacity ring buffer. Appends overwrite the oldest slot once full, so memory
is bounded by `limit` and appending is O(1). Seqs of retained entries are contiguous
(the oldest is dropped first), so "first entry after seq S" is index arithmetic.
*/
export function createReplayLog(limit: number, maxBytes: number = Number.POSITIVE_INFINITY): ReplayLog {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new SseArgumentError(
      'historyLimit',
      `historyLimit must be a non-negative whole number (0 keeps nothing): got ${String(limit)}`,
    );
  }
  if (maxBytes !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(maxBytes) || maxBytes < 0)) {
    throw new SseArgumentError(
      'historyMaxBytes',
      `historyMaxBytes must be a non-negative whole number: got ${String(maxBytes)}`,
    );
  }
  // Grown on demand up to `limit`, so a large limit costs nothing until it fills.
  let slots: (LogEntry | undefined)[] = [];
  let head = 0; // slot index of the oldest entry
  let size = 0;
  let bytes = 0;
  let nextSeq = 1;
  let snapshot: readonly HistoryRecord[] | undefined;
  // Id (see idKey) → seq of the newest retained entry with it.
  const seqById = new Map<number | string, number>();
  // String ids that left the log → their seq, bounded by a ring of the newest
  // `droppedMemory` of them (parallel arrays: nothing allocated per drop).
  const droppedSeqById = new Map<string, number>();
  const droppedMemory = limit === 0 ? 0 : Math.max(limit, MIN_DROPPED_MEMORY);
  const droppedKeys: string[] = [];
  const droppedSeqs: number[] = [];
  let droppedNext = 0; // ring slot for the next string id that leaves

  /** The i-th oldest entry (0 ≤ i < size). */
  const at = (i: number): LogEntry => slots[(head + i) % limit] as LogEntry;
  const oldestSeq = (): number => nextSeq - size;

  /** Index (0..size) of the first entry with a seq greater than `seq`. */
  function firstIndexAfter(seq: number): number {
    return Math.min(size, Math.max(0, seq + 1 - oldestSeq()));
  }

  /** Forgets the id of an entry leaving the log, remembering when it left. */
  function forget(entry: LogEntry, seq: number): void {
    const key = idKey(entry.record.id);
    if (seqById.get(key) === seq) seqById.delete(key);
    if (typeof key === 'number' || droppedMemory === 0) return;
    const evicted = droppedKeys[droppedNext];
    if (evicted !== undefined && droppedSeqById.get(evicted) === droppedSeqs[droppedNext]) {
      droppedSeqById.delete(evicted);
    }
    droppedKeys[droppedNext] = key;
    droppedSeqs[droppedNext] = seq;
    droppedNext = (droppedNext + 1) % droppedMemory;
    droppedSeqById.set(key, seq);
  }

  /** Drops the oldest entry (size > 0). */
  function dropOldest(): LogEntry {
    const dropped = slots[head] as LogEntry;
    forget(dropped, oldestSeq());
    // Released at once: a byte budget exists to bound memory.
    slots[head] = undefined;
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
    const seq = nextSeq;
    if (limit === 0) {
      nextSeq += 1;
      return entry;
    }
    snapshot = undefined;
    const dropped = size < limit ? undefined : dropOldest();
    slots[(head + size) % limit] = entry;
    size += 1;
    nextSeq += 1; // after `size`, so oldestSeq() stays right
    bytes += entry.bytes.length;
    seqById.set(idKey(entry.record.id), seq);
    return trimToBudget() ?? dropped;
  }

  function firstAfter(seq: number): SequencedEntry | undefined {
    const index = firstIndexAfter(seq);
    return index < size ? { entry: at(index), seq: oldestSeq() + index } : undefined;
  }

  function entriesAfter(seq: number, max = Number.POSITIVE_INFINITY): LogEntry[] {
    const out: LogEntry[] = [];
    const start = firstIndexAfter(seq);
    const end = Math.min(size, start + max);
    for (let i = start; i < end; i += 1) {
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
    for (let i = 0; i < size; i += 1) {
      forget(at(i), oldestSeq() + i);
    }
    slots = [];
    head = 0;
    size = 0;
    bytes = 0;
    snapshot = undefined;
  }

  function trim(keep: number): void {
    if (size <= keep) return;
    snapshot = undefined;
    while (size > keep) dropOldest();
  }

  function replace(entries: readonly LogEntry[]): void {
    clear();
    // Every entry gets a seq, kept or not, so seqs stay a count of appends.
    for (const entry of entries) append(entry);
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
    get oldestSeq() {
      return oldestSeq();
    },
    get nextSeq() {
      return nextSeq;
    },
    get oldest() {
      return size === 0 ? undefined : at(0).record;
    },
    append,
    seqOf: (cursor) => seqById.get(idKey(cursor)),
    droppedSeqOf: (cursor) => droppedSeqById.get(cursor),
    entriesAfter,
    firstAfter,
    countAfter: (seq) => size - firstIndexAfter(seq),
    records,
    clear,
    trim,
    replace,
  };
}
