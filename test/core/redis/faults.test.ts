import { describe, expect, it } from 'vitest';
import { createSse, SseError, startSseServer, type Sse } from '../../../core/index.js';
import { connectRedisEngine, type RedisEngine } from '../../../core/redis/index.js';
import { startRedisServer, type RedisServer } from '../../../bench/harness/redis-server.js';
import { useCleanup, waitFor } from '../../support/wait.js';
import { openRawStream } from '../stream/support.js';

/*
Redis stopped, restarted with its data, restarted empty: what publishers, open streams
and new connections see. Each test has a redis-server of its own.
*/

const cleanup = useCleanup();
const SLOW_MS = 60_000;

async function redisFor(persist: boolean): Promise<RedisServer> {
  const server = await startRedisServer({ persist });
  cleanup(() => server.dispose());
  return server;
}

async function engineOn(server: RedisServer): Promise<RedisEngine> {
  const engine = await connectRedisEngine({ url: server.url, maxReconnectDelayMs: 100 });
  cleanup(() => engine.close());
  return engine;
}

async function serve(
  engine: RedisEngine,
  options: { heartbeatMs?: number; retryMs?: number } = {},
): Promise<{ sse: Sse; port: number }> {
  const sse = createSse({
    store: engine.store('news'),
    heartbeatMs: options.heartbeatMs ?? 0,
    retryMs: options.retryMs ?? 700,
  });
  const server = await startSseServer(0, sse);
  cleanup(async () => {
    sse.stop();
    await server.stop();
  });
  return { sse, port: server.port };
}

/** Publishes once Redis answers again (the client reconnects with backoff). */
async function publishWhenBack(sse: Sse, data: string): Promise<string> {
  return waitFor(
    () =>
      sse.publish({ data, id: true }).then(
        (sent) => String(sent.id),
        () => undefined,
      ),
    `publish of ${data} once Redis is back`,
    20_000,
    50,
  );
}

describe('while Redis is unreachable', () => {
  it(
    'publish rejects with ERR_SSE_STORE_UNAVAILABLE, open streams keep their heartbeat, and a new connection gets retry: and a clean end',
    { timeout: SLOW_MS },
    async () => {
      const redis = await redisFor(true);
      const engine = await engineOn(redis);
      const { sse, port } = await serve(engine, { heartbeatMs: 100, retryMs: 700 });
      const open = openRawStream(port, { path: '/events', cleanup });
      await open.until((c) => c.status === 200, 'the stream open');
      await sse.publish({ data: 'before', id: true });
      await open.until((c) => c.events.length === 1, 'the event sent before');

      await redis.stop();
      const refused = await sse.publish({ data: 'lost', id: true }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(SseError);
      expect((refused as SseError).code).toBe('ERR_SSE_STORE_UNAVAILABLE');

      const heartbeats = open.comments.length;
      await open.until((c) => c.comments.length >= heartbeats + 3, 'three more heartbeats');
      expect(open.closed).toBe(false);

      const late = openRawStream(port, { path: '/events', cleanup });
      await late.until((c) => c.ended, 'the new connection ended', 15_000);
      expect(late.status).toBe(200);
      expect(late.retries).toEqual([700]);
      expect(late.events).toEqual([]);

      // Back with its data: the open stream goes on, in order, with what other
      // processes wrote before this one reconnected.
      await redis.restart();
      const other = await engineOn(redis);
      await other.store('news').append({ id: undefined, data: 'from another process', storedAt: Date.now() });
      await publishWhenBack(sse, 'after');
      await open.until((c) => c.events.length === 3, 'the events written while it was away', 20_000);
      expect(open.events.map((event) => event.data)).toEqual(['before', 'from another process', 'after']);
    },
  );
});

describe('Redis restarted', () => {
  it(
    'with its data: nothing is lost, the order is kept, and an old Last-Event-ID resumes',
    { timeout: SLOW_MS },
    async () => {
      const redis = await redisFor(true);
      const engine = await engineOn(redis);
      const { sse, port } = await serve(engine);
      const ids: string[] = [];
      for (const data of ['a', 'b', 'c']) ids.push(String((await sse.publish({ data, id: true })).id));
      await redis.restart();
      await publishWhenBack(sse, 'd');
      const resumed = openRawStream(port, { path: '/events', headers: { 'Last-Event-ID': ids[0] ?? '' }, cleanup });
      await resumed.until((c) => c.events.length === 3, 'b, c and d', 20_000);
      expect(resumed.events.map((event) => event.data)).toEqual(['b', 'c', 'd']);
      const everything = openRawStream(port, { path: '/events', cleanup });
      await everything.until((c) => c.events.length === 4, 'a to d');
      expect(everything.events.map((event) => event.data)).toEqual(['a', 'b', 'c', 'd']);
    },
  );

  it(
    'empty: a new epoch, and an old Last-Event-ID gets event: reset (epoch) before the new log',
    { timeout: SLOW_MS },
    async () => {
      const redis = await redisFor(false);
      const engine = await engineOn(redis);
      const { sse, port } = await serve(engine);
      const old = String((await sse.publish({ data: 'old', id: true })).id);
      const open = openRawStream(port, { path: '/events', cleanup });
      await open.until((c) => c.status === 200, 'the stream open');
      await redis.restart({ empty: true });
      const fresh = await publishWhenBack(sse, 'new');
      expect(fresh.slice(0, 8)).not.toBe(old.slice(0, 8));
      // The open stream goes on with the new log.
      await open.until((c) => c.events.some((event) => event.data === 'new'), 'the new event, live');
      const stale = openRawStream(port, { path: '/events', headers: { 'Last-Event-ID': old }, cleanup });
      await stale.until((c) => c.events.length === 2, 'the reset, then the new log');
      expect(stale.events[0]?.event).toBe('reset');
      expect(JSON.parse(stale.events[0]?.data ?? '')).toEqual({ reason: 'epoch', oldestId: fresh });
      expect(stale.events[1]).toMatchObject({ data: 'new', id: fresh });
    },
  );
});
