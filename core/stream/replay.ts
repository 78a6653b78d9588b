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

/** What a new connection is sent before live events. */
export interface ReplayPlan {
  readonly entries: readonly LogEntry[];
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
  if (id === undefined) {
    return { entries: log.entriesAfter(0), unknownCursor: cursor !== undefined, gap: undefined };
  }
  const oldestId = log.oldestId ?? nextId;
  const gap = id < oldestId - 1 ? { requestedId: id, oldestId, lostFrom: id + 1, lostTo: oldestId - 1 } : undefined;
  return { entries: log.entriesAfter(id), unknownCursor: false, gap };
}

/** The comment a client gets before its replay when events were lost. */
export function gapComment(gap: ReplayGap, retained: number): string {
  const lost = gap.lostFrom === gap.lostTo ? `event ${gap.lostFrom} is` : `events ${gap.lostFrom}-${gap.lostTo} are`;
  return `gap: ${lost} no longer in the replay log; replaying the ${retained} stored events after it`;
}

/**
What a new connection is written first, as one chunk: `retry: N` (if the stream sets
one), the gap comment (if any), then the replayed events in order.
*/
export function openingParts(plan: ReplayPlan, retryMs: number | undefined): ChunkPart[] {
  const parts: ChunkPart[] = [];
  if (retryMs !== undefined) {
    parts.push({ bytes: encodeEvent({ retry: retryMs }), isEvent: false });
  }
  if (plan.gap) {
    parts.push({ bytes: encodeComment(gapComment(plan.gap, plan.entries.length)), isEvent: false });
  }
  for (const entry of plan.entries) {
    parts.push({ bytes: entry.bytes, isEvent: true });
  }
  return parts;
}
