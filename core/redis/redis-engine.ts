import { randomBytes } from 'node:crypto';
import { SseArgumentError } from '../errors/sse-error.js';
import type { ReplayFeedListener, ReplayStore } from '../history/replay-store.js';
import type { HistoryRecord } from '../stream/types.js';
import { channelStore } from './redis-channel-store.js';
import { openRedisConnection, reconnectDelay, unavailable, type RedisConnection } from './redis-connection.js';
import { recordOf, type RawEntry } from './redis-records.js';
import { compareStreamIds } from './stream-ids.js';

/**
What {@link connectRedisEngine} takes.

@public
*/
export interface RedisEngineOptions {
  /** The Redis server, e.g. `redis://127.0.0.1:6379` (`rediss://` for TLS, `redis://:password@host`). */
  readonly url: string;
  /** Prefix of every key the engine writes (`<prefix>epoch`, `<prefix>stream:<channel>`). Default `sse:`. */
  readonly prefix?: string;
  /**
  Most events kept per channel; older ones are trimmed as new ones are added (a cursor
  naming one then gets `event: reset`). Approximate (Redis's `XADD MAXLEN ~`, which
  trims whole nodes and is cheap) from 1000 up, exact below. Default 10 000.
  */
  readonly maxLength?: number;
  /** Also trim events older than this many ms (by Redis's clock), at each append (`XTRIM MINID`). Default: no age limit. */
  readonly maxAgeMs?: number;
  /** Most entries the blocking read takes per channel at once. Default 512. */
  readonly readBatch?: number;
  /** Longest wait between reconnection attempts (they back off from 50 ms up to it). Default 2000. */
  readonly maxReconnectDelayMs?: number;
}

/**
A process's connection to a Redis Streams log shared by several processes: one
command connection and one dedicated connection for the blocking read (a blocking
read on a shared connection would stall every other command on it).

@public
*/
export interface RedisEngine {
  /**
  The replay store of one channel (one Redis stream): give it to `createSse({ store })`.
  Stores of one engine share its two connections; asking twice for a channel gives the
  same store.
  */
  store(channel: string): ReplayStore;
  /**
  The channels whose Redis stream exists under the engine's prefix, whichever process
  wrote them, sorted; at most `max` (default 100) names, found with `SCAN` in batches
  (never `KEYS`), so a large keyspace costs bounded work. Opens no store.
  */
  channels(options?: { readonly max?: number }): Promise<readonly string[]>;
  /** True when `channel`'s Redis stream exists (some process stored an event on it and it was not deleted). Opens no store. */
  hasChannel(channel: string): Promise<boolean>;
  /** Ends the feed and both connections; the stores then reject every call. */
  close(): Promise<void>;
}

/** How the blocking read waits before it looks again (it is also woken when a channel starts following). */
const BLOCK_MS = 1000;
/** Feed records kept per channel, so a read answered as the feed moves on is completed without another round trip. */
const RECENT_LIMIT = 2048;
/** How long a read waits for this process's feed to pass what it read before it gives up (Redis unreachable). */
const FEED_WAIT_MS = 5000;

/** One feed record with its place in the log. */
interface FedRecord {
  readonly streamId: string;
  readonly record: HistoryRecord;
}

/** A read waiting for the feed to reach a stream id. */
interface FeedWaiter {
  readonly target: string;
  readonly resolve: () => void;
}

/** What the engine keeps about one channel in this process. */
export interface ChannelState {
  readonly name: string;
  readonly key: string;
  readonly listeners: Set<ReplayFeedListener>;
  /** The stream id this process's feed has delivered up to; undefined until the feed has started on it. */
  position: string | undefined;
  /** The latest feed records, contiguous in the log, and the position just before the first. */
  recent: FedRecord[];
  recentBase: string | undefined;
  waiters: FeedWaiter[];
}

/** A transaction on the command connection. */
type RedisMulti = ReturnType<RedisConnection['multi']>;

/** What a channel store needs from its engine. */
export interface EngineCore {
  readonly url: string;
  readonly client: RedisConnection;
  readonly maxLength: number;
  readonly maxAgeMs: number | undefined;
  /**
  Adds the epoch rule to a transaction: `SET NX` a new random epoch (a log that lost
  its epoch gets a new one, never an old one again), then `GET` the one Redis holds,
  whose reply `adoptEpoch` takes. The one place the rule is written.
  */
  epochCommands(multi: RedisMulti): RedisMulti;
  isClosed(): boolean;
  /** The epoch Redis holds (answered by a command with `SET NX` + `GET`): takes note when it changed. */
  adoptEpoch(epoch: string): void;
  currentEpoch(): string;
  /** Starts (or stops, with the last listener) the feed of a channel. */
  wakeFeed(): void;
  /** Resolves once this process's feed has delivered the channel up to `target`. */
  feedReaches(channel: ChannelState, target: string): Promise<void>;
}

function checkOptions(options: RedisEngineOptions): void {
  if (typeof options !== 'object' || options === null || typeof options.url !== 'string') {
    throw new SseArgumentError('url', 'connectRedisEngine takes { url: "redis://host:port", … }');
  }
  const whole = (name: 'maxLength' | 'readBatch' | 'maxReconnectDelayMs' | 'maxAgeMs', min: number): void => {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
      throw new SseArgumentError(name, `${name} must be a whole number from ${min}: got ${String(value)}`);
    }
  };
  whole('maxLength', 1);
  whole('readBatch', 1);
  whole('maxReconnectDelayMs', 50);
  whole('maxAgeMs', 1);
}

/**
Connects a process to a Redis Streams log for its event streams, so that any number
of processes (on one host or many) serve one stream per channel: an event stored on
any process reaches every connection on every process, in the log's order; ids are
assigned by the log (opaque strings, increasing per channel, carrying the log's
epoch); a Last-Event-ID replays from the log on any process. Loads the `redis`
package (node-redis, a peer dependency) when called, not before.

While Redis is unreachable, `publish` rejects with `ERR_SSE_STORE_UNAVAILABLE`, open
streams stay open (heartbeats go on), and new connections are told to retry later;
when it is back, each process resumes reading where it stopped.

@throws `SseArgumentError` (`ERR_SSE_ARGUMENT`) for an option that is not valid,
or when the `redis` package is not installed.
@example
```ts
import { createSse, startSseServer } from 'sse-console';
import { connectRedisEngine } from 'sse-console/redis';

const engine = await connectRedisEngine({ url: 'redis://127.0.0.1:6379', maxLength: 5000 });
const sse = createSse({ store: engine.store('news') });
await startSseServer(8122, sse);
await sse.publish({ data: 'hello from any process', id: true });
```
@public
*/
export async function connectRedisEngine(options: RedisEngineOptions): Promise<RedisEngine> {
  checkOptions(options);
  const { url } = options;
  const prefix = options.prefix ?? 'sse:';
  const maxDelayMs = options.maxReconnectDelayMs ?? 2000;
  const readBatch = options.readBatch ?? 512;
  const client = await openRedisConnection(url, maxDelayMs);
  const blocking = client.duplicate();
  blocking.on('error', () => undefined);
  try {
    await client.connect();
    await blocking.connect();
  } catch (error) {
    client.destroy();
    blocking.destroy();
    throw unavailable(error, url);
  }

  const channels = new Map<string, ChannelState>();
  const stores = new Map<string, ReplayStore>();
  let closed = false;
  let epoch: string | undefined;
  // Set when the blocking connection may have been replaced: its id (for CLIENT UNBLOCK) and the epoch are read again.
  let stale = true;
  let blockingId: string | undefined;
  let idle: (() => void) | undefined;
  let failures = 0;

  const core: EngineCore = {
    url,
    client,
    maxLength: options.maxLength ?? 10_000,
    maxAgeMs: options.maxAgeMs,
    epochCommands: (multi) =>
      multi
        .addCommand(['SET', `${prefix}epoch`, randomBytes(4).toString('hex'), 'NX'])
        .addCommand(['GET', `${prefix}epoch`]),
    isClosed: () => closed,
    adoptEpoch(answered) {
      if (answered === epoch) return;
      const before = epoch;
      epoch = answered;
      if (before === undefined) return;
      // The log was lost (Redis restarted empty): every channel's feed starts again at
      // the new log's beginning, and no record of the old one is used to complete a read.
      for (const channel of channels.values()) {
        if (channel.position === undefined) continue;
        channel.position = '0-0';
        channel.recent = [];
        channel.recentBase = '0-0';
      }
      core.wakeFeed();
    },
    currentEpoch: () => epoch ?? '00000000',
    wakeFeed() {
      idle?.();
      idle = undefined;
      if (blockingId !== undefined) {
        void client.sendCommand(['CLIENT', 'UNBLOCK', blockingId]).catch(() => undefined);
      }
    },
    feedReaches(channel, target) {
      if (channel.position !== undefined && compareStreamIds(channel.position, target) >= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter: FeedWaiter = {
          target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          channel.waiters = channel.waiters.filter((other) => other !== waiter);
          reject(unavailable(new Error(`this process's feed did not reach ${target} in ${FEED_WAIT_MS} ms`), url));
        }, FEED_WAIT_MS);
        channel.waiters.push(waiter);
      });
    },
  };

  /** The epoch in Redis, created if the log has none (first use, or Redis restarted empty). */
  async function readEpoch(): Promise<void> {
    const replies = await core.epochCommands(client.multi()).exec();
    core.adoptEpoch(String(replies[1]));
  }

  /** Where the feed of a channel starts: after the newest entry now in the log. */
  async function startChannel(channel: ChannelState): Promise<void> {
    const newest = await client.sendCommand<RawEntry[] | null>(['XREVRANGE', channel.key, '+', '-', 'COUNT', '1']);
    if (channel.position !== undefined) return;
    channel.position = newest?.[0]?.[0] ?? '0-0';
    channel.recentBase = channel.position;
    settleWaiters(channel);
  }

  function settleWaiters(channel: ChannelState): void {
    const { position } = channel;
    if (position === undefined || channel.waiters.length === 0) return;
    const ready = channel.waiters.filter((waiter) => compareStreamIds(position, waiter.target) >= 0);
    channel.waiters = channel.waiters.filter((waiter) => compareStreamIds(position, waiter.target) < 0);
    for (const waiter of ready) waiter.resolve();
  }

  /** Hands one batch of a channel's entries to its listeners, in log order. */
  function deliver(channel: ChannelState, entries: readonly RawEntry[]): void {
    const currentEpoch = core.currentEpoch();
    const fed = entries.map(([streamId, fields]) => ({ streamId, record: recordOf([streamId, fields], currentEpoch) }));
    const last = fed.at(-1);
    if (last === undefined) return;
    channel.position = last.streamId;
    channel.recent.push(...fed);
    if (channel.recent.length > RECENT_LIMIT) {
      const dropped = channel.recent.splice(0, channel.recent.length - RECENT_LIMIT);
      channel.recentBase = dropped.at(-1)?.streamId ?? channel.recentBase;
    }
    const records = fed.map((item) => item.record);
    // Every listener gets the batch and the waiters settle even if one listener throws
    // (its error is raised afterwards, as an EventEmitter's would be): a throw must not
    // be taken for Redis going away, nor skip the others past this position.
    let failure: { error: unknown } | undefined;
    for (const listener of [...channel.listeners]) {
      try {
        listener(records);
      } catch (error) {
        failure ??= { error };
      }
    }
    settleWaiters(channel);
    if (failure !== undefined) {
      const { error } = failure;
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  /** The one blocking read of this process: every followed channel, in batches, from where it stopped. */
  async function feed(): Promise<void> {
    while (!closed) {
      const followed = [...channels.values()].filter((channel) => channel.listeners.size > 0);
      if (followed.length === 0) {
        await new Promise<void>((resolve) => (idle = resolve));
        continue;
      }
      try {
        if (stale) {
          blockingId = String(await blocking.sendCommand<number>(['CLIENT', 'ID']));
          await readEpoch();
          stale = false;
        }
        for (const channel of followed) if (channel.position === undefined) await startChannel(channel);
        const keys = followed.map((channel) => channel.key);
        const positions = followed.map((channel) => channel.position ?? '0-0');
        const reply = await blocking.sendCommand<[string, RawEntry[]][] | null>([
          'XREAD',
          'COUNT',
          String(readBatch),
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          ...keys,
          ...positions,
        ]);
        failures = 0;
        for (const [key, entries] of reply ?? []) {
          const channel = followed.find((candidate) => candidate.key === key);
          // Positions moved meanwhile (a new epoch): this batch is read again from there.
          if (channel !== undefined && channel.position === positions[followed.indexOf(channel)]) {
            deliver(channel, entries);
          }
        }
      } catch {
        if (closed) return;
        // Redis is unreachable (or was restarted): wait, then read again from each
        // channel's position, after checking the epoch.
        stale = true;
        failures += 1;
        await new Promise((resolve) => setTimeout(resolve, reconnectDelay(failures, maxDelayMs)));
      }
    }
  }

  const running = feed();

  return {
    store(name) {
      if (typeof name !== 'string') {
        throw new SseArgumentError('channel', `a channel name is a string: got ${typeof name}`);
      }
      const known = stores.get(name);
      if (known !== undefined) return known;
      const channel: ChannelState = {
        name,
        key: `${prefix}stream:${name}`,
        listeners: new Set(),
        position: undefined,
        recent: [],
        recentBase: undefined,
        waiters: [],
      };
      channels.set(name, channel);
      const store = channelStore(core, channel);
      stores.set(name, store);
      return store;
    },
    async channels(options = {}) {
      const max = options.max ?? 100;
      if (!Number.isSafeInteger(max) || max < 1) {
        throw new SseArgumentError('max', `channels lists a whole number of names (1 or more): got ${String(max)}`);
      }
      const streamPrefix = `${prefix}stream:`;
      const pattern = `${streamPrefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
      const found = new Set<string>();
      let cursor = '0';
      // Bounded: stops at `max` names or after this many SCAN calls, whichever comes first.
      for (let rounds = 0; rounds < 1000; rounds += 1) {
        const [next, keys] = await client.sendCommand<[string, string[]]>([
          'SCAN',
          cursor,
          'MATCH',
          pattern,
          'COUNT',
          '200',
          'TYPE',
          'stream',
        ]);
        for (const key of keys) if (found.size < max) found.add(key.slice(streamPrefix.length));
        cursor = next;
        if (cursor === '0' || found.size >= max) break;
      }
      return [...found].sort();
    },
    async hasChannel(name) {
      if (typeof name !== 'string') {
        throw new SseArgumentError('channel', `a channel name is a string: got ${typeof name}`);
      }
      return (await client.sendCommand<number>(['EXISTS', `${prefix}stream:${name}`])) === 1;
    },
    async close() {
      if (closed) return;
      closed = true;
      core.wakeFeed();
      // Reads waiting for the feed answer with what they have (the stream is going away).
      for (const channel of channels.values()) for (const waiter of channel.waiters.splice(0)) waiter.resolve();
      blocking.destroy();
      await running;
      await client.close().catch(() => undefined);
    },
  };
}
