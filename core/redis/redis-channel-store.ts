import { SseArgumentError, SseError } from '../errors/sse-error.js';
import type { ReplayRead, ReplayReset, ReplayStore, ReplayStoreInput } from '../history/replay-store.js';
import type { HistoryRecord } from '../stream/types.js';
import type { ChannelState, EngineCore } from './redis-engine.js';
import { unavailable } from './redis-connection.js';
import { applicationId, entryFields, recordOf, type RawEntry } from './redis-records.js';
import { compareStreamIds, laterStreamId, parseWireId, wireId } from './stream-ids.js';

/** Entries read per round trip when a read has no limit. */
const PAGE = 1000;

/** The newest entries a cursor naming an application's id is looked for in (see `findApplicationId`). */
export const APPLICATION_ID_WINDOW = 1000;

/** Where a read starts: after a stream id (or from the first entry), and the reset to send first. */
interface ReadStart {
  readonly after: string | undefined;
  readonly reset: ReplayReset['reason'] | undefined;
}

/** A read's records with their places in the log. */
interface PlacedRead {
  readonly entries: RawEntry[];
  /** The newest stream id the read covers (its last entry, else where it started). */
  end: string;
  /**
  Redis's clock before the read, as a stream id: a fed record below it was in the log
  before the read, so if the read did not see it, it was trimmed or cleared since (by
  any process) and is not added back from the feed.
  */
  readonly before: string;
}

/** Reads `XINFO STREAM`'s flat reply: the first entry's id and the newest id ever issued. */
function streamInfo(reply: unknown[] | null): { first: string | undefined; lastGenerated: string } {
  let first: string | undefined;
  let lastGenerated = '0-0';
  for (let index = 0; reply !== null && index + 1 < reply.length; index += 2) {
    const value = reply[index + 1];
    if (reply[index] === 'last-generated-id') lastGenerated = String(value);
    if (reply[index] === 'first-entry' && Array.isArray(value)) first = String(value[0]);
  }
  return { first, lastGenerated };
}

/**
The replay store of one channel of a {@link RedisEngine}: one Redis stream. Ids are
issued by Redis (`XADD *`) and sent as "<epoch>-<ms>-<seq>"; an application's own id
is kept in the entry, and a cursor naming one is looked for among the newest
`APPLICATION_ID_WINDOW` entries only (one bounded read; beyond them, a `trimmed` reset).
*/
export function channelStore(core: EngineCore, channel: ChannelState): ReplayStore {
  const { client, url } = core;
  const { key } = channel;

  async function run<T>(work: () => Promise<T>): Promise<T> {
    if (core.isClosed()) {
      throw new SseError('ERR_SSE_STORE_UNAVAILABLE', `the Redis engine for ${url} was closed (engine.close())`);
    }
    try {
      return await work();
    } catch (error) {
      throw unavailable(error, url);
    }
  }

  function trimArgs(): string[] {
    const mode = core.maxLength >= 1000 ? '~' : '=';
    return ['MAXLEN', mode, String(core.maxLength)];
  }

  async function readPage(after: string | undefined, upTo = '+', count = PAGE): Promise<RawEntry[]> {
    return (
      (await client.sendCommand<RawEntry[] | null>([
        'XRANGE',
        key,
        after === undefined ? '-' : `(${after}`,
        upTo,
        'COUNT',
        String(count),
      ])) ?? []
    );
  }

  /** Every entry after `after` (up to `upTo`), page by page. */
  async function readFrom(after: string | undefined, upTo = '+'): Promise<RawEntry[]> {
    const entries: RawEntry[] = [];
    let from = after;
    for (;;) {
      const page = await readPage(from, upTo);
      entries.push(...page);
      if (page.length < PAGE) return entries;
      from = page.at(-1)?.[0];
    }
  }

  /**
  Where an application's id lies, among the newest `APPLICATION_ID_WINDOW` entries: one
  bounded read, so that a made-up Last-Event-ID (any text can be an application's id)
  costs one page, never a scan of the log. Not found there, it is `unknown` when that
  was the whole log, and `trimmed` when the log holds more: the store will not look
  further back, so the client must be told that what follows may repeat what it has.
  */
  async function findApplicationId(cursor: string): Promise<ReadStart> {
    // One entry more than the window, only to tell whether the log goes on beyond it.
    const page =
      (await client.sendCommand<RawEntry[] | null>([
        'XREVRANGE',
        key,
        '+',
        '-',
        'COUNT',
        String(APPLICATION_ID_WINDOW + 1),
      ])) ?? [];
    const window = page.slice(0, APPLICATION_ID_WINDOW);
    const found = window.find(([, fields]) => applicationId(fields) === cursor)?.[0];
    if (found !== undefined) return { after: found, reset: undefined };
    return { after: undefined, reset: page.length > APPLICATION_ID_WINDOW ? 'trimmed' : 'unknown' };
  }

  /** Where to read from for a cursor, and the reset its answer starts with. */
  async function startFor(cursor: string | undefined, epoch: string): Promise<ReadStart> {
    if (cursor === undefined) return { after: undefined, reset: undefined };
    const wire = parseWireId(cursor);
    if (wire === undefined) return findApplicationId(cursor);
    if (wire.epoch !== epoch) return { after: undefined, reset: 'epoch' };
    const { first, lastGenerated } = streamInfo(
      await client.sendCommand<unknown[] | null>(['XINFO', 'STREAM', key]).catch((error: unknown) => {
        if (error instanceof Error && /no such key/i.test(error.message)) return null;
        throw error;
      }),
    );
    const position = wire.streamId;
    if (compareStreamIds(position, lastGenerated) > 0) return { after: undefined, reset: 'unknown' };
    if (first === undefined) {
      // Empty: the newest id ever issued lost nothing; an older one lost what followed it.
      return compareStreamIds(position, lastGenerated) === 0
        ? { after: position, reset: undefined }
        : { after: undefined, reset: 'trimmed' };
    }
    // Not held and older than the oldest held: trimmed (an id just before the oldest
    // held is answered so too, as Redis does not tell what lay between).
    if (compareStreamIds(position, first) < 0) return { after: undefined, reset: 'trimmed' };
    return { after: position, reset: undefined };
  }

  /**
  Completes a read so that it ends exactly where this process's feed is (see
  `ReplayStore.follow`): waits for the feed to pass what was read and the cursor, then
  adds what the feed delivered beyond it. Ends with no await after the last check, so
  the answer reaches the stream before the feed can deliver again.
  */
  async function alignWithFeed(
    read: PlacedRead,
    cursorPosition: string | undefined,
    limit: number | undefined,
  ): Promise<void> {
    let target = cursorPosition === undefined ? read.end : laterStreamId(read.end, cursorPosition);
    for (;;) {
      await core.feedReaches(channel, target);
      const position = channel.position ?? target;
      if (compareStreamIds(position, read.end) <= 0) return;
      const base = channel.recentBase;
      if (base !== undefined && compareStreamIds(base, read.end) <= 0) {
        for (const fed of channel.recent) {
          if (compareStreamIds(fed.streamId, read.end) > 0 && compareStreamIds(fed.streamId, read.before) >= 0) {
            read.entries.push([fed.streamId, []]);
          }
        }
        read.end = position;
        return;
      }
      // With a limit, no more than fills the page: the rest is the next page's.
      const more =
        limit === undefined
          ? await readFrom(read.end, position)
          : await readPage(read.end, position, limit - read.entries.length);
      read.entries.push(...more);
      read.end = more.at(-1)?.[0] ?? position;
      if (limit !== undefined && read.entries.length >= limit) return;
      target = read.end;
    }
  }

  /**
  Reads in flight, by cursor. A reconnect storm (every client of a page coming back
  with the same Last-Event-ID) then costs one read of the log, not one per client:
  a shared answer is still exact for each, since it ends where this process's feed is
  when it is handed out, and the stream delivers feed records to a connection only
  after its read (see `ReplayStore.follow`). So only a followed channel shares. The
  events are shared, never changed.
  */
  const readsInFlight = new Map<string, Promise<ReplayRead>>();

  function readAfter(cursor: string | undefined, limit?: number): Promise<ReplayRead> {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
      return Promise.reject(
        new SseArgumentError('limit', `a read's limit is a whole number from 1: got ${String(limit)}`),
      );
    }
    // Unfollowed, a read must see every append settled before it was asked: not shared.
    if (channel.listeners.size === 0) return readLog(cursor, limit);
    // JSON keeps no cursor (null) apart from the Last-Event-ID text "undefined" or "null".
    const shared = JSON.stringify([limit ?? null, cursor ?? null]);
    const pending = readsInFlight.get(shared);
    if (pending !== undefined) return pending;
    const read = readLog(cursor, limit).finally(() => readsInFlight.delete(shared));
    readsInFlight.set(shared, read);
    return read;
  }

  async function readLog(cursor: string | undefined, limit: number | undefined): Promise<ReplayRead> {
    return run(async () => {
      const replies = await core.epochCommands(client.multi()).addCommand(['TIME']).exec();
      core.adoptEpoch(String(replies[1]));
      const [seconds, micros] = replies[2] as [string, string];
      const before = `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}-0`;
      const epoch = core.currentEpoch();
      const start = await startFor(cursor, epoch);
      // With a limit, one XRANGE … COUNT: never the whole log at once.
      const entries = limit === undefined ? await readFrom(start.after) : await readPage(start.after, '+', limit);
      const read: PlacedRead = { entries, end: entries.at(-1)?.[0] ?? start.after ?? '0-0', before };
      const following = channel.listeners.size > 0;
      const wire = cursor === undefined ? undefined : parseWireId(cursor);
      // A full page is not the end: the next read (from its last entry) meets the feed.
      const full = limit !== undefined && entries.length >= limit;
      if (following && !full) await alignWithFeed(read, wire?.epoch === epoch ? wire.streamId : undefined, limit);
      let next: string | undefined;
      if (limit !== undefined && read.entries.length >= limit) {
        // What the feed added beyond the limit is read again from the page's end.
        read.entries.length = limit;
        const last = read.entries.at(-1)?.[0];
        if (last !== undefined) next = wireId(epoch, last);
      }
      // Entries added from the feed carry no fields: their records come from the feed
      // (looked up only when there are some, as a read rarely needs them).
      let fedRecords: Map<string, HistoryRecord> | undefined;
      const events: HistoryRecord[] = read.entries.map((entry) => {
        if (entry[1].length > 0) return recordOf(entry, epoch);
        fedRecords ??= new Map(channel.recent.map((fed) => [fed.streamId, fed.record]));
        return fedRecords.get(entry[0]) ?? recordOf(entry, epoch);
      });
      const more = next === undefined ? {} : { next };
      if (start.reset === undefined) return { events, ...more };
      return { events, reset: { reason: start.reset, oldestId: events[0]?.id ?? null }, ...more };
    });
  }

  return {
    append(input: ReplayStoreInput) {
      return run(async () => {
        // A channel just followed has no feed position yet: its feed starts after the
        // newest entry it finds, so an entry added before that would never be fed here.
        if (channel.listeners.size > 0 && channel.position === undefined) await core.feedReaches(channel, '0-0');
        let multi = core
          .epochCommands(client.multi())
          .addCommand(['XADD', key, ...trimArgs(), '*', ...entryFields(input)]);
        if (core.maxAgeMs !== undefined) {
          // Exact: at each append it removes the few entries that just aged out.
          multi = multi.addCommand(['XTRIM', key, 'MINID', '=', `${Date.now() - core.maxAgeMs}-0`]);
        }
        const replies = await multi.exec();
        core.adoptEpoch(String(replies[1]));
        return recordOf([String(replies[2]), entryFields(input)], core.currentEpoch());
      });
    },
    readAfter,
    trim(keep: number) {
      if (!Number.isSafeInteger(keep) || keep < 0) {
        throw new SseArgumentError('keep', `trim keeps a whole number of events (0 or more): got ${String(keep)}`);
      }
      return run(async () => {
        await client.sendCommand(['XTRIM', key, 'MAXLEN', '=', String(keep)]);
      });
    },
    clear() {
      // XTRIM keeps the stream and its newest issued id, so no id is issued again.
      return run(async () => {
        await client.sendCommand(['XTRIM', key, 'MAXLEN', '=', '0']);
      });
    },
    follow(listener) {
      const first = channel.listeners.size === 0;
      channel.listeners.add(listener);
      if (first) core.wakeFeed();
      return () => {
        channel.listeners.delete(listener);
        // Followed again later, the feed starts from the newest entry then, not from here.
        if (channel.listeners.size === 0) channel.position = undefined;
      };
    },
  };
}
