import { SseArgumentError, SseFieldError } from '../errors/sse-error.js';
import { SSE_DEFAULTS } from '../stream/options.js';
import { planReplay, type ReplayPlan } from '../stream/replay.js';
import type { HistoryRecord } from '../stream/types.js';
import { numericId } from '../wire/decimal-id.js';
import { entriesFromRecords } from './history-entries.js';
import { createReplayLog, type LogEntry, type ReplayLog } from './replay-log.js';
import type { ReplayRead, ReplayStore, ReplayStoreInput } from './replay-store.js';

/**
What {@link createMemoryStore} takes.

@public
*/
export interface MemoryStoreOptions {
  /** Most events kept; the oldest are dropped past it. Default 1000. */
  readonly historyLimit?: number;
  /** Most bytes (encoded events) kept, beside `historyLimit`. Default 64 MiB. */
  readonly historyMaxBytes?: number;
  /** Events to start from, oldest first; the counter continues past their largest numeric id. */
  readonly initialHistory?: readonly HistoryRecord[];
  /** The first id to issue, when ids below it were issued before (a history cleared before a restart). Default 1. */
  readonly initialNextId?: number;
  /** Clock for `storedAt` of initial records without one. Default `Date.now`. */
  readonly now?: () => number;
}

/**
The state behind a built-in store, which `createSse` works on directly: the
synchronous fast path (no Promise, no copy per send) of the built-in stores.
*/
export interface MemoryStoreCore {
  readonly log: ReplayLog;
  /** The next integer `id: true` gets; never goes backwards. */
  nextId: number;
  /** Runs before an event is kept (the history file's append); a throw means nothing is kept. */
  readonly beforeAppend: ((record: HistoryRecord) => void) | undefined;
  /**
  Runs before clear, trim or replace changes the log, with what it will hold and the
  counter after (the history file's rewrite); a throw means the log is left as it is.
  */
  readonly beforeChange: ((records: readonly HistoryRecord[], nextId: number) => void) | undefined;
  readonly now: () => number;
}

const cores = new WeakMap<ReplayStore, MemoryStoreCore>();

/** The core of a built-in store; undefined for any other store. */
export function memoryCoreOf(store: ReplayStore): MemoryStoreCore | undefined {
  return cores.get(store);
}

/**
The counter after an id is stored: one past a numeric id (or a string in canonical
decimal, which is the same id on the wire) above it, else unchanged. So the counter
never moves backwards and `id: true` never repeats a stored number.
*/
function counterAfter(nextId: number, id: number | string): number {
  const value = numericId(id);
  return value !== undefined && Number.isSafeInteger(value) && value >= nextId ? value + 1 : nextId;
}

/** Keeps one encoded event: the hook first (so a failed write keeps nothing), then the log and the counter. */
export function appendToCore(core: MemoryStoreCore, entry: LogEntry): void {
  core.beforeAppend?.(entry.record);
  core.log.append(entry);
  core.nextId = counterAfter(core.nextId, entry.record.id);
}

export function clearCore(core: MemoryStoreCore): void {
  core.beforeChange?.([], core.nextId);
  core.log.clear();
}

export function replaceCore(core: MemoryStoreCore, records: readonly HistoryRecord[]): void {
  const entries = entriesFromRecords(records, core.now);
  let nextId = core.nextId;
  for (const entry of entries) nextId = counterAfter(nextId, entry.record.id);
  core.beforeChange?.(
    entries.map((entry) => entry.record),
    nextId,
  );
  core.log.replace(entries);
  core.nextId = nextId;
}

function trimCore(core: MemoryStoreCore, keep: number): void {
  if (!Number.isSafeInteger(keep) || keep < 0) {
    throw new SseArgumentError('keep', `trim keeps a whole number of events (0 or more): got ${String(keep)}`);
  }
  if (core.log.size <= keep) return;
  core.beforeChange?.(keep === 0 ? [] : core.log.records().slice(-keep), core.nextId);
  core.log.trim(keep);
}

/**
A page cursor that names a log position (seq), not an id: answered as `next` when the
page's last event is not the newest with its id (ids may repeat, and an id resumes
after its newest holder, which would skip the events between). It starts with NUL,
which no id holds (see checkEventId), so it never names a stored event.
*/
const SEQ_CURSOR = '\0seq:';

/** The seq a position cursor names (see `SEQ_CURSOR`); undefined for any other cursor. */
function cursorSeq(cursor: string | undefined): number | undefined {
  if (cursor === undefined || !cursor.startsWith(SEQ_CURSOR)) return undefined;
  const seq = Number(cursor.slice(SEQ_CURSOR.length));
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

/** Where a read starts: after a position cursor's seq (a trimmed reset if events left since), else after the id. */
function planRead(core: MemoryStoreCore, cursor: string | undefined): ReplayPlan {
  const seq = cursorSeq(cursor);
  if (seq === undefined) return planReplay(core.log, cursor, core.nextId);
  const plan = planReplay(core.log, undefined, core.nextId);
  if (seq >= core.log.oldestSeq - 1) return { ...plan, afterSeq: seq, count: core.log.countAfter(seq) };
  return { ...plan, reset: { reason: 'trimmed', oldestId: core.log.oldest?.id ?? null } };
}

function readCore(core: MemoryStoreCore, cursor: string | undefined, limit?: number): ReplayRead {
  const plan = planRead(core, cursor);
  // One past the limit: tells whether more are held, without copying the rest of the log.
  const cut = core.log.entriesAfter(plan.afterSeq, limit === undefined ? undefined : limit + 1);
  const more = limit !== undefined && cut.length > limit;
  if (more) cut.pop();
  const events = cut.map((entry) => entry.record);
  const next = more ? { next: pageCursor(core, plan.afterSeq, events) } : {};
  if (plan.reset !== undefined) return { events, reset: plan.reset, ...next };
  if (plan.unknownCursor) {
    return { events, reset: { reason: 'unknown', oldestId: core.log.oldest?.id ?? null }, ...next };
  }
  return { events, ...next };
}

/** The cursor after a page: its last id as text when that id resumes right after it, else its position. */
function pageCursor(core: MemoryStoreCore, afterSeq: number, events: readonly HistoryRecord[]): string {
  const lastSeq = Math.max(afterSeq, core.log.oldestSeq - 1) + events.length;
  const id = String(events.at(-1)?.id);
  return core.log.seqOf(id) === lastSeq ? id : `${SEQ_CURSOR}${lastSeq}`;
}

function appendInput(core: MemoryStoreCore, input: ReplayStoreInput): HistoryRecord {
  if (input.id === undefined && core.nextId > Number.MAX_SAFE_INTEGER) {
    throw new SseFieldError('id', `every id up to ${Number.MAX_SAFE_INTEGER} has been issued`);
  }
  // Checked and copied as records from outside the stream are (one record: one entry).
  const entry = entriesFromRecords([{ ...input, id: input.id ?? core.nextId }], core.now)[0] as LogEntry;
  appendToCore(core, entry);
  return entry.record;
}

/** Makes a core and the store around it; `hooks` are the history file's. */
export function memoryStoreWith(
  options: MemoryStoreOptions,
  hooks: Pick<MemoryStoreCore, 'beforeAppend' | 'beforeChange'> = { beforeAppend: undefined, beforeChange: undefined },
): ReplayStore {
  const now = options.now ?? Date.now;
  const initialNextId = options.initialNextId ?? 1;
  if (!Number.isSafeInteger(initialNextId) || initialNextId < 1) {
    throw new SseArgumentError(
      'initialNextId',
      `initialNextId must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (the first id to issue): got ${String(initialNextId)}`,
    );
  }
  const log = createReplayLog(
    options.historyLimit ?? SSE_DEFAULTS.historyLimit,
    options.historyMaxBytes ?? SSE_DEFAULTS.historyMaxBytes,
  );
  const core: MemoryStoreCore = { log, nextId: initialNextId, ...hooks, now };
  // Loaded without the hooks: the initial history is already wherever they write.
  const initial = entriesFromRecords(options.initialHistory ?? [], now);
  log.replace(initial);
  for (const entry of initial) core.nextId = counterAfter(core.nextId, entry.record.id);
  const store: ReplayStore = {
    synchronous: true,
    get nextId() {
      return core.nextId;
    },
    append: (input) => appendInput(core, input),
    readAfter: (cursor, limit) => readCore(core, cursor, limit),
    trim: (keep) => trimCore(core, keep),
    clear: () => clearCore(core),
    replace: (records) => replaceCore(core, records),
  };
  cores.set(store, core);
  return store;
}

/**
The built-in replay store, and `createSse`'s default: the newest events in memory
(a ring buffer bounded by `historyLimit` events and `historyMaxBytes` bytes), ids
issued as integers 1, 2, 3 … Every method answers synchronously, and a stream works
on it directly: sending costs no Promise and no copy.

A cursor it holds resumes after that event. One it issued but dropped (trimmed,
cleared) is answered with reset `trimmed`: numbers by order (a number the counter
passed, below the oldest held), strings by memory of the last thousand (or
`historyLimit`) that left. Any other value (never issued, another server's id,
junk) is answered with reset `unknown`. A cursor just before the oldest held id, or
the newest issued after a clear, lost nothing: no reset.

@throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) for an option that is not valid.
@example
```ts
const store = createMemoryStore({ historyLimit: 100 });
const sse = createSse({ store });
sse.sendNewEvent({ data: 'hello', id: true }); // stored as 1
```
@public
*/
export function createMemoryStore(options: MemoryStoreOptions = {}): ReplayStore {
  if (typeof options !== 'object' || options === null) {
    throw new SseArgumentError('options', `createMemoryStore takes an options object: got ${typeof options}`);
  }
  return memoryStoreWith(options);
}
