import type { LogEntry, ReplayLog } from '../history/replay-log.js';
import type { ReplayReset } from '../history/replay-store.js';
import { decimalId } from '../wire/decimal-id.js';
import { encodeComment, encodeEvent } from '../wire/encode-event.js';
import type { ChunkPart } from './write-batch.js';

/** Events a client missed: its cursor left the replay log before it reconnected. */
interface ReplayGap {
  /** The cursor (Last-Event-ID): a number when it is a decimal integer, else the text. */
  readonly requestedId: number | string;
  /** The oldest retained id, or the next id to be issued if the log is empty. */
  readonly oldestId: number | string;
  /** The ids lost, when both ends are numbers (the stream's own counter). */
  readonly lostFrom: number | undefined;
  readonly lostTo: number | undefined;
}

/**
What a new connection is sent before live events: the stored events with seqs in
(afterSeq, endSeq] (see replay-log.ts), read from the log as the connection drains
(never copied whole).
*/
export interface ReplayPlan {
  /** Replay the entries after this seq. */
  readonly afterSeq: number;
  /** The newest seq when the connection opened: later events reach it live. */
  readonly endSeq: number;
  /** How many entries that is when the connection opens. */
  readonly count: number;
  /** The cursor was given but is not an id this stream stored or issued, so it was ignored. */
  readonly unknownCursor: boolean;
  readonly gap: ReplayGap | undefined;
  /** Set when the cursor was issued but left the log (a gap): the client is sent `event: reset`. */
  readonly reset: ReplayReset | undefined;
}

/**
The id a cursor names, if the stream's counter has passed it: a canonical decimal
integer from 1 to `nextId - 1`. Anything else that is not stored (another server's id,
a stale id from before a restart, junk) is ignored.
*/
function issuedId(cursor: string, nextId: number): number | undefined {
  const id = decimalId(cursor);
  return id !== undefined && id >= 1 && id < nextId ? id : undefined;
}

function gapFor(requestedId: number | string, oldestId: number | string): ReplayGap {
  const numeric = typeof requestedId === 'number' && typeof oldestId === 'number' && requestedId < oldestId - 1;
  return {
    requestedId,
    oldestId,
    lostFrom: numeric ? requestedId + 1 : undefined,
    lostTo: numeric ? oldestId - 1 : undefined,
  };
}

/**
Replay rule: a new connection gets every stored event, in insertion order; with a
cursor (Last-Event-ID) equal to a stored id (string or number, O(1) lookup), only
the events stored after it. A cursor that left the log is a gap: every stored event
is replayed and the client is told. String ids that left are remembered (the newest
thousand or `limit`); numbers are judged by order, the counter's rule: a number the
counter passed that is below the oldest stored number (minus one) is a gap, which fits
increasing ids such as a database sequence. Any other cursor is unknown: every stored
event is replayed and the connection is reported, as if the client had sent none. A
gap sends the client `event: reset` first (see `resetPart`); an unknown cursor does not:
the stream cannot tell a foreign id from junk, and answers it as it answers a new client.
*/
export function planReplay(log: ReplayLog, cursor: string | undefined, nextId: number): ReplayPlan {
  const endSeq = log.nextSeq - 1;
  const everything = { afterSeq: log.oldestSeq - 1, endSeq, count: log.size };
  const resumed = { unknownCursor: false, gap: undefined, reset: undefined };
  if (cursor === undefined) {
    return { ...everything, ...resumed };
  }
  const seq = log.seqOf(cursor);
  if (seq !== undefined) {
    return { afterSeq: seq, endSeq, count: log.countAfter(seq), ...resumed };
  }
  const oldestId = log.oldest?.id ?? nextId;
  const trimmed = (gap: ReplayGap | undefined): ReplayPlan =>
    gap === undefined
      ? { ...everything, ...resumed }
      : { ...everything, unknownCursor: false, gap, reset: { reason: 'trimmed', oldestId: log.oldest?.id ?? null } };
  const dropped = log.droppedSeqOf(cursor);
  if (dropped !== undefined) {
    const missed = log.oldestSeq - dropped - 1;
    return trimmed(missed > 0 ? gapFor(decimalId(cursor) ?? cursor, oldestId) : undefined);
  }
  const id = issuedId(cursor, nextId);
  if (id === undefined || (typeof oldestId === 'number' && id >= oldestId && log.size > 0)) {
    // Not ours, or a number between stored ones that was never stored: as if absent.
    return { ...everything, unknownCursor: true, gap: undefined, reset: undefined };
  }
  // The counter passed it and it is not stored: older than the log, unless it is just before the oldest.
  return trimmed(typeof oldestId === 'number' && id === oldestId - 1 ? undefined : gapFor(id, oldestId));
}

/**
The event a client gets, before any replayed event, when its Last-Event-ID is not
resumed from: `event: reset`, data `{"reason":…,"oldestId":…}` (see `ReplayReset`),
and an empty `id:` line, which clears the browser's last event id: the events that
follow (everything the store holds) set it again, and if none follow, the next
reconnection asks for everything rather than for the stale id again. It dispatches in
a browser like any named event, but is not stored and does not count toward
`?closeAfter=`.
*/
export function resetPart(reset: ReplayReset): ChunkPart {
  const data = JSON.stringify({ reason: reset.reason, oldestId: reset.oldestId });
  return { bytes: encodeEvent({ id: '', event: 'reset', data }), isEvent: false };
}

/** The comment a client gets before its replay when events were lost. */
function gapComment(gap: ReplayGap, retained: number): string {
  if (gap.lostFrom === undefined || gap.lostTo === undefined) {
    return `gap: events after ${String(gap.requestedId)} are no longer in the replay log; replaying the ${retained} stored events`;
  }
  const lost = gap.lostFrom === gap.lostTo ? `event ${gap.lostFrom} is` : `events ${gap.lostFrom}-${gap.lostTo} are`;
  return `gap: ${lost} no longer in the replay log; replaying the ${retained} stored events after it`;
}

/**
What a new connection is written first, before its replayed events: `retry: N` (if
the stream sets one), the gap comment and `event: reset` (if its cursor was not resumed from).
*/
export function openingParts(plan: ReplayPlan, retryMs: number | undefined): ChunkPart[] {
  const parts: ChunkPart[] = [];
  if (retryMs !== undefined) {
    parts.push({ bytes: encodeEvent({ retry: retryMs }), isEvent: false });
  }
  if (plan.gap) {
    parts.push({ bytes: encodeComment(gapComment(plan.gap, plan.count)), isEvent: false });
  }
  if (plan.reset) parts.push(resetPart(plan.reset));
  return parts;
}

/**
The next slice of a replay: entries after seq `afterSeq` up to `endSeq`, about
`maxBytes` of them (at least one), as chunk parts, with the seq of the last one taken.
*/
export function nextReplayParts(
  log: ReplayLog,
  afterSeq: number,
  endSeq: number,
  maxBytes: number,
): { readonly parts: ChunkPart[]; readonly entries: LogEntry[]; readonly lastSeq: number | undefined } {
  const parts: ChunkPart[] = [];
  const entries: LogEntry[] = [];
  let bytes = 0;
  let lastSeq: number | undefined;
  let next = log.firstAfter(afterSeq);
  while (next !== undefined && next.seq <= endSeq && (bytes === 0 || bytes + next.entry.bytes.length <= maxBytes)) {
    parts.push({ bytes: next.entry.bytes, isEvent: true });
    entries.push(next.entry);
    bytes += next.entry.bytes.length;
    lastSeq = next.seq;
    next = log.firstAfter(next.seq);
  }
  return { parts, entries, lastSeq };
}
