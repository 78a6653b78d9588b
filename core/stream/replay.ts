import type { LogEntry, ReplayLog } from '../history/replay-log.js';
import { encodeComment, encodeEvent } from '../wire/encode-event.js';
import type { ChunkPart } from './write-batch.js';

/** Ids lost between a client's cursor and the oldest event still in the log. */
export interface ReplayGap {
  readonly requestedId: number;
  /** The oldest retained id, or the next id to be issued if the log is empty. */
  readonly oldestId: number;
  readonly lostFrom: number;
  readonly lostTo: number;
}

/**
What a new connection is sent before live events: the stored events with ids in
(afterId, endId], read from the log as the connection drains (never copied whole).
*/
export interface ReplayPlan {
  /** Replay the entries after this id (0: all). */
  readonly afterId: number;
  /** The newest id when the connection opened: later events reach it live. */
  readonly endId: number;
  /** How many entries that is when the connection opens. */
  readonly count: number;
  /** The cursor was given but is not an id this stream issued, so it was ignored. */
  readonly unknownCursor: boolean;
  readonly gap: ReplayGap | undefined;
}

/**
The id a cursor names, if it is one this stream issued: a canonical decimal integer
(no sign, no leading zero, no spaces) from 1 to `nextId - 1`. Anything else is not
ours (another server's id, a stale id from before a restart, junk) and is ignored.
*/
export function issuedId(cursor: string, nextId: number): number | undefined {
  // Ids go up to 2^53−1 (16 digits); the length bound skips huge header values at
  // once, and the safe-integer check refuses 16-digit values Number() cannot hold exactly.
  if (cursor.length > 16 || !/^[1-9][0-9]*$/.test(cursor)) {
    return undefined;
  }
  const id = Number(cursor);
  return Number.isSafeInteger(id) && id < nextId ? id : undefined;
}

/**
Replay rule: a new connection gets every stored event, oldest first; with a cursor
(Last-Event-ID) that the stream issued, only the stored events after it. If events
after the cursor have already been dropped from the log, that is a gap.
*/
export function planReplay(log: ReplayLog, cursor: string | undefined, nextId: number): ReplayPlan {
  const id = cursor === undefined ? undefined : issuedId(cursor, nextId);
  const endId = log.newestId ?? 0;
  if (id === undefined) {
    return { afterId: 0, endId, count: log.size, unknownCursor: cursor !== undefined, gap: undefined };
  }
  const oldestId = log.oldestId ?? nextId;
  const gap = id < oldestId - 1 ? { requestedId: id, oldestId, lostFrom: id + 1, lostTo: oldestId - 1 } : undefined;
  return { afterId: id, endId, count: log.countAfter(id), unknownCursor: false, gap };
}

/** The comment a client gets before its replay when events were lost. */
export function gapComment(gap: ReplayGap, retained: number): string {
  const lost = gap.lostFrom === gap.lostTo ? `event ${gap.lostFrom} is` : `events ${gap.lostFrom}-${gap.lostTo} are`;
  return `gap: ${lost} no longer in the replay log; replaying the ${retained} stored events after it`;
}

/**
What a new connection is written first, before its replayed events: `retry: N` (if
the stream sets one) and the gap comment (if any).
*/
export function openingParts(plan: ReplayPlan, retryMs: number | undefined): ChunkPart[] {
  const parts: ChunkPart[] = [];
  if (retryMs !== undefined) {
    parts.push({ bytes: encodeEvent({ retry: retryMs }), isEvent: false });
  }
  if (plan.gap) {
    parts.push({ bytes: encodeComment(gapComment(plan.gap, plan.count)), isEvent: false });
  }
  return parts;
}

/**
The next slice of a replay: entries after `afterId` up to `endId`, about `maxBytes`
of them (at least one), as chunk parts. `lastId` is the id of the last one taken.
*/
export function nextReplayParts(
  log: ReplayLog,
  afterId: number,
  endId: number,
  maxBytes: number,
): { readonly parts: ChunkPart[]; readonly entries: LogEntry[] } {
  const parts: ChunkPart[] = [];
  const entries: LogEntry[] = [];
  let bytes = 0;
  let entry = log.firstAfter(afterId);
  while (entry !== undefined && entry.record.id <= endId && (bytes === 0 || bytes + entry.bytes.length <= maxBytes)) {
    parts.push({ bytes: entry.bytes, isEvent: true });
    entries.push(entry);
    bytes += entry.bytes.length;
    entry = log.firstAfter(entry.record.id);
  }
  return { parts, entries };
}
