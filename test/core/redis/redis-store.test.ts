import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSse, startSseServer } from '../../../core/index.js';
import { describeReplayStore } from '../../../core/testing.js';
import { connectRedisEngine, type RedisEngine } from '../../../core/redis/index.js';
import { startRedisServer, type RedisServer } from '../../../bench/harness/redis-server.js';
import { openRawStream } from '../stream/support.js';

let server: RedisServer;
let engine: RedisEngine;
let channels = 0;

beforeAll(async () => {
  server = await startRedisServer();
  engine = await connectRedisEngine({ url: server.url, prefix: 'suite:' });
});
afterAll(async () => {
  await engine.close();
  await server.dispose();
});

/** How many XRANGE commands the Redis server has run: reads of the log. */
async function logReads(): Promise<number> {
  const client = await createClient({ url: server.url }).connect();
  try {
    const stats = await client.info('commandstats');
    return Number(/cmdstat_xrange:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  } finally {
    client.destroy();
  }
}

describeReplayStore('the shared store suite: a Redis engine channel', () => engine.store(`channel-${++channels}`), {
  describe,
  it,
});

describe('a Redis engine channel', () => {
  it('answers a reconnect storm (many reads of one cursor at once) with one read of the log', async () => {
    const store = engine.store('storm');
    const stop = store.follow?.(() => undefined);
    try {
      const stored = [];
      for (let index = 1; index <= 50; index += 1) {
        stored.push(await store.append({ id: undefined, data: `e${index}`, storedAt: index }));
      }
      const cursor = String(stored[9]?.id);
      const before = await logReads();
      const reads = await Promise.all(Array.from({ length: 30 }, async () => store.readAfter(cursor)));
      expect(await logReads()).toBe(before + 1);
      for (const read of reads)
        expect(read.events.map((record) => record.data)).toEqual(stored.slice(10).map((r) => r.data));
      // Not followed: each read is its own (read-your-writes for streams without a feed).
      stop?.();
      const unfollowed = await logReads();
      await Promise.all([0, 1].map(async () => store.readAfter(cursor)));
      expect(await logReads()).toBe(unfollowed + 2);
    } finally {
      stop?.();
    }
  });

  it('feeds an event appended right after the first follow (the feed starts before the append lands)', async () => {
    const store = engine.store('followed-then-sent');
    await store.append({ id: undefined, data: 'before anyone followed', storedAt: 1 });
    const fed: string[] = [];
    const stop = store.follow?.((records) => fed.push(...records.map((record) => record.data)));
    try {
      const stored = await store.append({ id: undefined, data: 'first after follow', storedAt: 2 });
      await expect.poll(() => fed, { timeout: 5000 }).toEqual(['first after follow']);
      expect((await store.readAfter(undefined)).events.at(-1)?.id).toBe(stored.id);
    } finally {
      stop?.();
    }
  });

  it('issues ids that increase, carry the epoch, and are the same text on every process', async () => {
    const other = await connectRedisEngine({ url: server.url, prefix: 'suite:' });
    try {
      const a = engine.store('ids');
      const b = other.store('ids');
      const first = await a.append({ id: undefined, data: 'a', storedAt: 1 });
      const second = await b.append({ id: undefined, data: 'b', storedAt: 2 });
      expect(String(first.id)).toMatch(/^[0-9a-f]{8}-\d+-\d+$/);
      expect(String(first.id).slice(0, 8)).toBe(String(second.id).slice(0, 8));
      expect((await b.readAfter(String(first.id))).events.map((record) => record.data)).toEqual(['b']);
      expect((await a.readAfter(undefined)).events.map((record) => record.id)).toEqual([first.id, second.id]);
    } finally {
      await other.close();
    }
  });

  it('bounds the log by maxLength: the oldest go, and a cursor naming one gets a trimmed reset', async () => {
    const bounded = await connectRedisEngine({ url: server.url, prefix: 'bounded:', maxLength: 3 });
    try {
      const store = bounded.store('news');
      const stored = [];
      for (let index = 1; index <= 5; index += 1)
        stored.push(await store.append({ id: undefined, data: `e${index}`, storedAt: index }));
      const all = await store.readAfter(undefined);
      expect(all.events.map((record) => record.data)).toEqual(['e3', 'e4', 'e5']);
      const old = await store.readAfter(String(stored[0]?.id));
      expect(old.reset).toEqual({ reason: 'trimmed', oldestId: stored[2]?.id });
      expect(old.events.map((record) => record.data)).toEqual(['e3', 'e4', 'e5']);

      // A client with that cursor is told, with event: reset, before the held events.
      const sse = createSse({ store, heartbeatMs: 0 });
      const server = await startSseServer(0, sse);
      try {
        const client = openRawStream(server.port, {
          path: '/events',
          headers: { 'Last-Event-ID': String(stored[0]?.id) },
        });
        await client.until((c) => c.events.length === 4, 'the reset and e3..e5');
        client.close();
        expect(client.events[0]?.event).toBe('reset');
        expect(JSON.parse(client.events[0]?.data ?? '')).toEqual({ reason: 'trimmed', oldestId: stored[2]?.id });
        expect(client.events.slice(1).map((event) => event.data)).toEqual(['e3', 'e4', 'e5']);
      } finally {
        sse.stop();
        await server.stop();
      }
    } finally {
      await bounded.close();
    }
  });

  it('bounds the log by age with maxAgeMs', async () => {
    const aging = await connectRedisEngine({ url: server.url, prefix: 'aging:', maxAgeMs: 200 });
    try {
      const store = aging.store('news');
      await store.append({ id: undefined, data: 'old', storedAt: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await store.append({ id: undefined, data: 'new', storedAt: 2 });
      expect((await store.readAfter(undefined)).events.map((record) => record.data)).toEqual(['new']);
    } finally {
      await aging.close();
    }
  });
});
