import { entryFor } from '../history/history-entries.js';
import type { MemoryStoreCore } from '../history/memory-store.js';
import type { ReplayLog } from '../history/replay-log.js';
import type { ReplayRead, ReplayStore } from '../history/replay-store.js';
import { printable } from '../http/printable.js';
import { decimalId } from '../wire/decimal-id.js';
import { encodeComment, encodeEvent } from '../wire/encode-event.js';
import type { Connection, WriteOutcome } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { fieldsOf, sentEvent } from './event-fields.js';
import { isPromiseLike } from './is-promise-like.js';
import type { SseSettings } from './options.js';
import { nextReplayParts, openingParts, planReplay, resetPart } from './replay.js';
import type { ConnectionInfo, HistoryRecord, SseLifecycleEvent } from './types.js';
import { joinParts, type Chunk, type ChunkPart } from './write-batch.js';

/** The `retry:` a connection gets when the store cannot answer its read, if the stream sets none. */
const UNREAD_RETRY_MS = 2000;

/** Events read from a store other than the built-in ones per page of a replay (see `ReplayStore.readAfter`). */
export const STORE_PAGE = 512;

/** Bytes of stored events written to a catching-up connection before it must drain. */
const REPLAY_SLICE_BYTES = 64 * 1024;

/** A page of a store's answer being written: what goes first, its events, and the cursor of the rest. */
interface StorePage {
  readonly opening: readonly ChunkPart[];
  readonly events: readonly HistoryRecord[];
  readonly next: string | undefined;
}

/** A connection catching up on stored events; live chunks wait behind its replay. */
interface Replaying {
  /** The replay continues after this seq (log position, see replay-log.ts)... */
  afterSeq: number;
  /** ...up to this one (the newest when it connected; later ones come live). */
  readonly endSeq: number;
  readonly queued: Chunk[];
  queuedBytes: number;
  count: number;
  firstId: number | string | undefined;
  lastId: number | string | undefined;
  /**
  With a store other than the built-in ones, the ids of stored events sent live while
  its read was pending: they reach the connection through `queued`, so the replay
  skips them (no duplicate), and every other one is in the read (no gap).
  */
  readonly liveIds?: Set<string>;
  /**
  With a store other than the built-in ones, set once its last page is answered: a
  shared log's feed records then queue behind the pages still being written (before,
  they are in a page yet to be read).
  */
  readDone?: boolean;
}

export interface ReplayHost {
  readonly settings: SseSettings;
  readonly store: ReplayStore;
  /** The built-in store's core, worked on directly; undefined for any other store. */
  readonly core: MemoryStoreCore | undefined;
  readonly registry: ConnectionRegistry;
  readonly emit: (event: SseLifecycleEvent) => void;
  /** Writes what this tick queued (see write-batch.ts). */
  readonly flush: () => void;
  readonly historyChanged: () => void;
  readonly isStopped: () => boolean;
}

/** Sends each new connection its stored events, and holds its live chunks until they are through. */
export interface ReplayPump {
  /** Writes a live chunk to a connection, behind its replay if it is still replaying. */
  readonly writeTo: (connection: Connection, chunk: Chunk, enforceLimit: boolean) => boolean;
  /** Starts a new connection's replay, after its `connected` report. */
  readonly startReplay: (connection: Connection, lastEventId: string | undefined, info: ConnectionInfo) => void;
  /** A shared store's feed (see `ReplayStore.follow`). */
  readonly deliverFollowed: (records: readonly HistoryRecord[]) => void;
  /** A stored event sent live through a store other than the built-in ones: replays still reading skip it. */
  readonly noteSentLive: (id: number | string) => void;
  /** Drops the replay of a connection let go. */
  readonly forget: (connection: Connection) => void;
}

export function createReplayPump(host: ReplayHost): ReplayPump {
  const { settings, store, core, emit, flush, historyChanged } = host;
  const { live, release, settle } = host.registry;
  const { now } = settings;
  // Connections still being sent their replay (usually none: a small replay is written at once).
  const replaying = new Map<Connection, Replaying>();

  function writeTo(connection: Connection, chunk: Chunk, enforceLimit: boolean): boolean {
    if (replaying.size > 0) {
      const state = replaying.get(connection);
      if (state !== undefined) {
        return live.has(connection.res) && queueBehindReplay(connection, state, chunk);
      }
    }
    const limit = enforceLimit ? settings.maxBufferedBytes : Number.POSITIVE_INFINITY;
    return live.has(connection.res) && settle(connection, connection.write(chunk, limit));
  }

  function startReplay(connection: Connection, lastEventId: string | undefined, info: ConnectionInfo): void {
    const { handle } = connection;
    if (core === undefined) {
      replayFromStore(connection, lastEventId);
      return;
    }
    const plan = planReplay(core.log, lastEventId, core.nextId);
    if (plan.unknownCursor && lastEventId !== undefined) {
      emit({ type: 'unknown-last-event-id', info, connection: handle, value: printable(lastEventId, 256) });
    }
    if (plan.gap) {
      emit({ type: 'gap', info, connection: handle, requestedId: plan.gap.requestedId, oldestId: plan.gap.oldestId });
    }
    const state: Replaying = {
      afterSeq: plan.afterSeq,
      endSeq: plan.endSeq,
      queued: [],
      queuedBytes: 0,
      count: 0,
      firstId: undefined,
      lastId: undefined,
    };
    replaying.set(connection, state);
    continueReplay(connection, state, core.log, openingParts(plan, settings.retryMs));
  }

  /**
  Replays from a store other than the built-in ones, a page at a time (`STORE_PAGE`
  events per read, written in slices as the socket drains, the next page read once the
  socket took the last: a client that does not read holds one slice, and the process
  one page): live chunks
  queue behind the connection while it catches up (however long the store takes),
  and the stored ids among them are noted (`liveIds`), so that the replay skips them.
  */
  function replayFromStore(connection: Connection, lastEventId: string | undefined): void {
    const state: Replaying = {
      afterSeq: 0,
      endSeq: 0,
      queued: [],
      queuedBytes: 0,
      count: 0,
      firstId: undefined,
      lastId: undefined,
      liveIds: new Set(),
    };
    replaying.set(connection, state);
    readStorePage(connection, state, lastEventId, true);
  }

  /** Asks the store for the page after `cursor`, then writes it (see `writeStorePage`). */
  function readStorePage(connection: Connection, state: Replaying, cursor: string | undefined, first: boolean): void {
    const failed = (): void => endUnread(connection);
    let answer: ReplayRead | Promise<ReplayRead>;
    try {
      answer = store.readAfter(cursor, STORE_PAGE);
    } catch {
      failed();
      return;
    }
    const write = (read: ReplayRead): void =>
      contained(connection, () => writeStorePage(connection, state, cursor, read, first));
    if (isPromiseLike(answer)) {
      answer.then(write, failed);
    } else {
      write(answer);
    }
  }

  /**
  Runs a step of a store's replay: a throw (a record of a store other than the built-in
  ones that cannot be encoded, a malformed answer) ends that connection as a failed
  read does, rather than escaping from a Promise callback or a 'drain' listener and
  taking the process down.
  */
  function contained(connection: Connection, step: () => void): void {
    try {
      step();
    } catch {
      endUnread(connection);
    }
  }

  /**
  The store could not answer a connection's read (unreachable; mid-replay too, when the
  client resumes from the last id it got): the connection gets
  `retry:` and a clean end, so the browser reconnects after that time (a 5xx, or a
  destroyed stream, can make EventSource give up or count an error).
  */
  function endUnread(connection: Connection): void {
    if (!live.has(connection.res)) return;
    const state = replaying.get(connection);
    replaying.delete(connection);
    // The pages written before the failure were replayed: reported as a finished replay is.
    if (state !== undefined) reportReplayed(connection, state);
    const retry = settings.retryMs ?? UNREAD_RETRY_MS;
    connection.write(joinParts([{ bytes: encodeEvent({ retry }), isEvent: false }]), Number.POSITIVE_INFINITY);
    release(connection, 'error', 'end');
  }

  /**
  A shared store's feed delivered records (see `ReplayStore.follow`): encoded once, as
  one chunk, written to every connection except those whose read is pending (their
  read, answered in feed order, holds these records); behind the replay of a
  connection whose last page is read but not yet written.
  */
  function deliverFollowed(records: readonly HistoryRecord[]): void {
    if (host.isStopped() || records.length === 0) return;
    flush(); // what this process sent before stays before
    const entries = records.map(entryFor);
    const chunk = joinParts(entries.map((entry) => ({ bytes: entry.bytes, isEvent: true })));
    let count = 0;
    for (const connection of [...live.values()]) {
      const state = replaying.get(connection);
      if ((state === undefined || state.readDone === true) && writeTo(connection, chunk, true)) count += 1;
    }
    const sentAt = now();
    for (const { record, bytes } of entries) {
      emit({ type: 'sent', event: sentEvent(fieldsOf(record), record.id, bytes, count, sentAt) });
    }
    historyChanged();
  }

  /**
  Writes one page of a store's answer (the reset first, then the events not already
  queued live); with more to read, reads on once the socket has taken it, else writes
  the live chunks that waited.
  */
  function writeStorePage(
    connection: Connection,
    state: Replaying,
    cursor: string | undefined,
    read: ReplayRead,
    first: boolean,
  ): void {
    if (!live.has(connection.res)) {
      replaying.delete(connection);
      return;
    }
    flush(); // events sent this tick join the queue (their ids are in liveIds)
    const opening = first ? openingStoreParts(connection, cursor, read) : laterPageParts(read);
    const events = read.events.filter((record) => !state.liveIds?.has(String(record.id)));
    // An empty page with a next cursor, or a next that does not move, would read forever: it ends the replay.
    const next = read.events.length === 0 || read.next === cursor ? undefined : read.next;
    state.readDone = next === undefined;
    writeStoreSlices(connection, state, { opening, events, next }, 0);
  }

  /**
  Writes a store's page from `from` on, a slice (`REPLAY_SLICE_BYTES`) at a time as the
  socket drains, as the in-memory replay does; then reads the next page, or finishes.
  */
  function writeStoreSlices(connection: Connection, state: Replaying, page: StorePage, from: number): void {
    const { events, next } = page;
    let parts = from === 0 ? [...page.opening] : [];
    let index = from;
    for (;;) {
      if (!live.has(connection.res)) {
        replaying.delete(connection);
        return;
      }
      const sliceStart = index;
      let bytes = 0;
      for (; index < events.length && bytes < REPLAY_SLICE_BYTES; index += 1) {
        const encoded = entryFor(events[index] as HistoryRecord).bytes;
        parts.push({ bytes: encoded, isEvent: true });
        bytes += encoded.length;
      }
      const before = connection.eventsSent;
      // Bounded by the slice size: the drain wait below is this connection's backpressure.
      const outcome = parts.length === 0 ? 'written' : connection.write(joinParts(parts), Number.POSITIVE_INFINITY);
      parts = [];
      const taken = Math.min(index - sliceStart, connection.eventsSent - before);
      if (taken > 0) {
        state.count += taken;
        state.firstId ??= events[sliceStart]?.id;
        state.lastId = events[sliceStart + taken - 1]?.id;
      }
      const pageDone = index >= events.length;
      if (outcome !== 'written' || (pageDone && next === undefined)) {
        finishReplay(connection, state, outcome);
        return;
      }
      const resumeAt = index;
      const goOn = (): void => {
        if (next !== undefined && resumeAt >= events.length) readStorePage(connection, state, next, false);
        else writeStoreSlices(connection, state, page, resumeAt);
      };
      if (connection.needsDrain()) {
        connection.onceDrained(() => contained(connection, goOn));
        return;
      }
      if (pageDone) {
        goOn();
        return;
      }
    }
  }

  /** The start of a store's answer to a new connection: its reports, `retry:`, and the reset if any. */
  function openingStoreParts(connection: Connection, lastEventId: string | undefined, read: ReplayRead): ChunkPart[] {
    const info = connection.info();
    const { handle } = connection;
    const { reset } = read;
    if (reset?.reason === 'unknown' && lastEventId !== undefined) {
      emit({ type: 'unknown-last-event-id', info, connection: handle, value: printable(lastEventId, 256) });
    } else if (reset !== undefined && lastEventId !== undefined) {
      const requestedId = decimalId(lastEventId) ?? printable(lastEventId, 256);
      emit({ type: 'gap', info, connection: handle, requestedId, oldestId: reset.oldestId ?? store.nextId ?? '' });
    }
    const parts: ChunkPart[] = [];
    if (settings.retryMs !== undefined) parts.push({ bytes: encodeEvent({ retry: settings.retryMs }), isEvent: false });
    // An unknown cursor is answered as a new client is (see planReplay); a trimmed or stale one is told.
    if (reset !== undefined && reset.reason !== 'unknown') parts.push(resetPart(reset));
    return parts;
  }

  /**
  A later page's reset: the store lost the page cursor while this connection caught
  up (trimmed meanwhile, or a new epoch); the client is told, as the in-memory replay
  tells it, and gets what the store holds.
  */
  function laterPageParts(read: ReplayRead): ChunkPart[] {
    const { reset } = read;
    if (reset === undefined) return [];
    if (reset.reason === 'epoch') return [resetPart(reset)];
    return [{ bytes: encodeComment('gap: events left the store while this connection caught up'), isEvent: false }];
  }

  /**
  Writes the replay a slice at a time, from the log, as the socket drains: a client
  that does not read holds one slice, not a copy of the log. Live events meanwhile
  wait behind the replay (see `queueBehindReplay`), so order is kept.
  */
  function continueReplay(connection: Connection, state: Replaying, log: ReplayLog, opening: ChunkPart[] = []): void {
    let first = opening;
    for (;;) {
      if (!live.has(connection.res)) {
        replaying.delete(connection);
        return;
      }
      const parts: ChunkPart[] = first;
      first = [];
      const oldestSeq = log.oldestSeq;
      if (state.count > 0 && oldestSeq > state.afterSeq + 1 && state.afterSeq < state.endSeq) {
        // Live sends pushed events out of the log before this connection got them.
        const lost = Math.min(oldestSeq - 1, state.endSeq) - state.afterSeq;
        const what = lost === 1 ? '1 event' : `${lost} events`;
        parts.push({
          bytes: encodeComment(`gap: ${what} left the replay log while this connection caught up`),
          isEvent: false,
        });
        state.afterSeq = Math.min(oldestSeq - 1, state.endSeq);
      }
      const slice = nextReplayParts(log, state.afterSeq, state.endSeq, REPLAY_SLICE_BYTES);
      parts.push(...slice.parts);
      if (parts.length === 0) {
        finishReplay(connection, state, 'written');
        return;
      }
      const before = connection.eventsSent;
      // Bounded by the slice size: the drain wait below is this connection's backpressure.
      const outcome = connection.write(joinParts(parts), Number.POSITIVE_INFINITY);
      const taken = slice.entries.slice(0, connection.eventsSent - before);
      if (taken.length > 0) {
        state.count += taken.length;
        state.firstId ??= taken[0]?.record.id;
        state.lastId = taken.at(-1)?.record.id;
      }
      if (slice.lastSeq !== undefined) state.afterSeq = slice.lastSeq;
      if (outcome !== 'written' || slice.entries.length === 0) {
        finishReplay(connection, state, outcome);
        return;
      }
      if (connection.needsDrain()) {
        connection.onceDrained(() => continueReplay(connection, state, log));
        return;
      }
    }
  }

  /** Reports the replay, then writes the live chunks that waited for it, in order. */
  function finishReplay(connection: Connection, state: Replaying, outcome: WriteOutcome): void {
    replaying.delete(connection);
    reportReplayed(connection, state);
    if (!live.has(connection.res) || !settle(connection, outcome) || !live.has(connection.res)) {
      return;
    }
    for (const chunk of state.queued) {
      if (!writeTo(connection, chunk, true)) return;
    }
  }

  /** The `replayed` report, when any stored event was written. */
  function reportReplayed(connection: Connection, state: Replaying): void {
    if (state.count > 0) {
      emit({
        type: 'replayed',
        info: connection.info(),
        connection: connection.handle,
        count: state.count,
        firstId: state.firstId,
        lastId: state.lastId,
      });
    }
  }

  /** A live chunk for a connection still replaying: kept in order, within maxBufferedBytes. */
  function queueBehindReplay(connection: Connection, state: Replaying, chunk: Chunk): boolean {
    if (connection.bufferedBytes() + state.queuedBytes + chunk.bytes.length > settings.maxBufferedBytes) {
      release(connection, 'slow-client', 'destroy');
      return false;
    }
    state.queued.push(chunk);
    state.queuedBytes += chunk.bytes.length;
    return true;
  }

  return {
    writeTo,
    startReplay,
    deliverFollowed,
    noteSentLive(id) {
      if (replaying.size > 0) {
        const key = String(id);
        for (const state of replaying.values()) state.liveIds?.add(key);
      }
    },
    forget: (connection) => {
      replaying.delete(connection);
    },
  };
}
