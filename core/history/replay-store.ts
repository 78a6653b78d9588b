import type { HistoryRecord } from '../stream/types.js';

/**
What a stream asks a {@link ReplayStore} to keep: one event, and the id it is stored
under, or none (`id: true` in `sendNewEvent`), in which case the store issues the
next id of its own scheme.

@public
*/
export interface ReplayStoreInput {
  /** The application's id, or undefined: the store issues one (a number or an opaque string). */
  readonly id: number | string | undefined;
  /** Event data ('' when none). */
  readonly data: string;
  /** Event type, when not the default `message`. */
  readonly event?: string;
  /** The `retry:` field sent with it, if any. */
  readonly retry?: number;
  /** Epoch ms when the event was sent. */
  readonly storedAt: number;
}

/**
Why a store could not resume after a Last-Event-ID:

- `trimmed`: the store issued that id but no longer holds it (trimmed for space,
  cleared), or the id is beyond how far back the store looks for it (the Redis
  store looks for an application's own id among the newest 1,000 events only):
  events may have been lost in between. The stream sends the client `event: reset`
  (data `{"reason":"trimmed","oldestId":…}`) before the replay.
- `unknown`: the store never issued that id (another server's id, one from before a
  restart without the history, or junk). The stream treats it as absent: the client
  gets every held event, as a new client does, with no reset event (the stream cannot
  tell a foreign id from junk), and the `unknown-last-event-id` lifecycle event is emitted.
- `epoch`: the id is of the store's own form but from an earlier epoch of its log (the
  log was lost, e.g. Redis restarted empty, and ids started again): the client gets
  `event: reset` (data `{"reason":"epoch","oldestId":…}`) and every held event, so an
  old id is never confused with a new event.

@public
*/
export type ReplayResetReason = 'trimmed' | 'unknown' | 'epoch';

/**
The store's answer when it cannot resume after a cursor. For `trimmed` and `epoch`, it
becomes the data of the `event: reset` the client is sent, as JSON:
`{"reason":"trimmed","oldestId":4}`.

@public
*/
export interface ReplayReset {
  /** Whether the store dropped the cursor (`trimmed`), never issued it (`unknown`), or issued it in a lost log (`epoch`). */
  readonly reason: ReplayResetReason;
  /** The oldest id the store still holds (the first event replayed after the reset); null when it holds none. */
  readonly oldestId: number | string | null;
}

/**
What a store answers for a cursor: the events to replay, oldest first, and whether
the cursor was honoured.

@public
*/
export interface ReplayRead {
  /**
  With the cursor honoured: every held event stored after it. With a reset (or no
  cursor): every event the store holds.
  */
  readonly events: readonly HistoryRecord[];
  /** Present when the cursor could not be resumed from (see {@link ReplayResetReason}). */
  readonly reset?: ReplayReset;
  /**
  Present when the read stopped at its `limit` with more events held: the cursor that
  `readAfter` resumes from right after the last event answered (for a store whose ids
  are unique, that event's id as wire text). Absent on the last page.
  */
  readonly next?: string;
}

/**
Where a stream keeps the events it replays: the public seam between the SSE engine
and its storage. The library ships two, {@link createMemoryStore} (the default) and
{@link openHistoryFileStore} (JSON Lines on disk); another store (a database, Redis
Streams shared by several processes) implements this interface and is given to
`createSse({ store })`. `sse-console/testing` exports `describeReplayStore`, the
checks every store must pass.

Rules a store keeps:

- **Ids are the store's.** `append` with no id issues the next id of the store's own
  scheme (numbers or opaque strings without CR, LF or NUL); an id is never issued
  twice, not even after `clear`. An application's id is stored as given; a later
  event with the same id wins when a cursor names it.
- **Cursors are wire text.** `readAfter` gets the Last-Event-ID exactly as the client
  sent it (`"5"` for the id 5).
- **A read sees every append that has settled** (read-your-writes): the stream relies
  on this for the hand-over from replay to live delivery, which then has no gap and no
  duplicate, even when a read is slow.
- **A cursor it cannot resume from is answered**, never guessed: a `reset` with the
  reason, and every held event.

**A store shared by several processes** (one log, many servers) has `follow`: the
stream then sends stored events only as the log's feed delivers them, in log order,
its own appends included, so every process sends one order per channel.

Every method may answer synchronously or with a Promise. A store that always answers
synchronously says so with `synchronous: true`: its stream's `sendNewEvent` then stores
and sends in one call, with no Promise per send. With any other store, stored events
are sent with `await sse.publish(input)`.

@example
```ts
import { createMemoryStore, createSse } from 'sse-console';

const store = createMemoryStore({ historyLimit: 500 });
const sse = createSse({ store });
```
@public
*/
export interface ReplayStore {
  /** True when every method answers synchronously (never a Promise): `sendNewEvent` may store with it. */
  readonly synchronous?: boolean;
  /**
  The next number the store will issue, for stores whose ids are the stream's integers
  (`sse.nextId` reads it); absent for stores with ids of another form.
  */
  readonly nextId?: number;
  /** Stores one event; answers the record as stored, with its id. A failure means nothing was stored. */
  append(input: ReplayStoreInput): HistoryRecord | Promise<HistoryRecord>;
  /**
  The events after `cursor` (a Last-Event-ID as sent), or all held events when `cursor`
  is undefined.

  With `limit` (optional), at most that many events, oldest first: a store that held
  more answers `next`, the cursor of the rest, and the stream reads on with it once the
  client has taken the page (a replay thousands of events long is never read, nor
  buffered, at once). A store may ignore `limit` and answer everything; the stream
  then writes it as one page.

  @param cursor - The Last-Event-ID as the client sent it, or a `next` this store answered.
  @param limit - Most events to answer (a whole number from 1); undefined: every one.
  */
  readAfter(cursor: string | undefined, limit?: number): ReplayRead | Promise<ReplayRead>;
  /** Keeps only the newest `keep` events; a cursor naming a dropped one is then answered with a `trimmed` reset. */
  trim(keep: number): void | Promise<void>;
  /** Drops every event; ids already issued are not issued again. */
  clear(): void | Promise<void>;
  /** Replaces the contents with `records` (the stream's `replaceHistory`); optional. */
  replace?(records: readonly HistoryRecord[]): void | Promise<void>;
  /**
  The live feed of a log shared by several processes; optional. `listener` gets every
  record appended from now on, by any process (this one included), in log order, in
  batches; the answer stops the feed. A stream whose store has `follow` subscribes
  once when it is created and sends stored events only from the feed (`publish`
  stores, the feed delivers), so every process sends one order.

  The hand-over from replay to live delivery is then the store's promise: a
  `readAfter` is answered **between two feed deliveries** and holds exactly the
  records after the cursor that the feed has delivered up to that point: none the feed
  has not delivered yet (they come live), none before the cursor. A store waits for its
  feed to pass the cursor and the end of what it read before answering. The stream
  does not send feed records to a connection whose read is pending, so a client gets
  each event once, with no gap, on any process. The built-in stores have no feed.
  */
  follow?(listener: ReplayFeedListener): () => void;
}

/**
Gets the records a shared log's feed delivers (see `ReplayStore.follow`), oldest
first; each record as `readAfter` answers it, with its id.

@public
*/
export type ReplayFeedListener = (records: readonly HistoryRecord[]) => void;
