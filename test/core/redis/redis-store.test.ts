import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSse, startSseServer } from '../../../core/index.js';
import { describeReplayStore } from '../../../core/testing.js';
import { connectRedisEngine, type RedisEngine } from '../../../core/redis/index.js';
import { APPLICATION_ID_WINDOW } from '../../../core/redis/redis-channel-store.js';
import { STORE_PAGE } from '../../../core/stream/replay-pump.js';
import { startRedisServer, type RedisServer } from '../../../bench/harness/redis-server.js';
import { openRawStream, waitFor } from '../stream/support.js';

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

/** Every command the Redis server runs while `work` does, as its arguments (MONITOR). */
async function commandsDuring(work: () => Promise<void>): Promise<string[][]> {
  const client = await createClient({ url: server.url }).connect();
  const seen: string[][] = [];
  try {
    await client.monitor((line) => {
      // MONITOR lines: 1733600000.000000 [0 127.0.0.1:5000] "XRANGE" "key" "-" "+" "COUNT" "256"
      seen.push([...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? ''));
    });
    await work();
  } finally {
    client.destroy();
  }
  return seen;
}

describe('a Redis engine channel', () => {
  it('replays a long log to a stream a page at a time (XRANGE … COUNT), events sent meanwhile arriving once, in order', async () => {
    const store = engine.store('long-replay');
    const sse = createSse({ store, heartbeatMs: 0 });
    const http = await startSseServer(0, sse);
    try {
      const total = 2 * STORE_PAGE + 200;
      let first = '';
      for (let index = 1; index <= total; index += 1) {
        const sent = await sse.publish({ data: `e${index}`, id: true });
        if (index === 1) first = String(sent.id);
      }
      let client: ReturnType<typeof openRawStream> | undefined;
      const commands = await commandsDuring(async () => {
        const joined = openRawStream(http.port, { path: '/events', headers: { 'Last-Event-ID': first } });
        client = joined;
        // Sent while the replay reads its pages: each must arrive once, after the replay.
        for (let index = 1; index <= 20; index += 1) await sse.publish({ data: `live${index}`, id: true });
        await joined.until((c) => c.events.length >= total - 1 + 20, 'the replay and the live events', 30_000);
      });
      client?.close();
      const ranges = commands.filter((args) => args[0] === 'XRANGE' && args[1] === 'suite:stream:long-replay');
      expect(ranges.length).toBeGreaterThan(2);
      for (const range of ranges) {
        expect(range[4]).toBe('COUNT');
        expect(Number(range[5])).toBeLessThanOrEqual(STORE_PAGE);
      }
      expect(client?.events.map((event) => event.data)).toEqual([
        ...Array.from({ length: total - 1 }, (_, index) => `e${index + 2}`),
        ...Array.from({ length: 20 }, (_, index) => `live${index + 1}`),
      ]);
    } finally {
      sse.stop();
      await http.stop();
    }
  }, 60_000);

  it('hands a paused client over to the feed while its last page is still being written: live events arrive once, after', async () => {
    const store = engine.store('last-page');
    const sse = createSse({ store, heartbeatMs: 0, maxBufferedBytes: 64 * 1024 * 1024 });
    const http = await startSseServer(0, sse);
    try {
      // One page (fewer than STORE_PAGE events), more than loopback's socket buffers take.
      const total = 400;
      const filler = 'p'.repeat(80_000);
      for (let index = 1; index <= total; index += 1) await sse.publish({ data: `${index}:${filler}`, id: true });
      const client = openRawStream(http.port, { path: '/events' });
      client.socket.pause();
      await waitFor(() => sse.connections[0]?.info().slow === true, 'the last page to wait for the socket');
      for (let index = 1; index <= 5; index += 1) await sse.publish({ data: `live${index}`, id: true });
      client.socket.resume();
      await client.until((c) => c.closed || c.events.length >= total + 5, 'the page and the live events', 30_000);
      client.close();
      const data = client.events.map((event) => event.data);
      expect(data.slice(0, total)).toEqual(Array.from({ length: total }, (_, index) => `${index + 1}:${filler}`));
      expect(data.slice(total)).toEqual(['live1', 'live2', 'live3', 'live4', 'live5']);
    } finally {
      sse.stop();
      await http.stop();
    }
  }, 60_000);

  it('looks for an application id among the newest entries only: beyond them, one bounded read and a trimmed reset', async () => {
    const store = engine.store('app-ids');
    await store.append({ id: 'order-1', data: 'old', storedAt: 1 });
    for (let index = 0; index < APPLICATION_ID_WINDOW - 1; index += 1) {
      await store.append({ id: undefined, data: `e${index}`, storedAt: 2 });
    }
    // The whole log is the window: an id not in it was never issued.
    const never = await store.readAfter('order-0', 10);
    expect(never.reset?.reason).toBe('unknown');
    expect(never.events.map((record) => record.data)).toEqual(['old', ...Array.from({ length: 9 }, (_, i) => `e${i}`)]);
    await store.append({ id: 'order-2', data: 'new', storedAt: 3 });
    const recent = await store.readAfter('order-2', 10);
    expect(recent.reset).toBeUndefined();
    expect(recent.events).toEqual([]);
    const commands = await commandsDuring(async () => {
      // order-1 is now older than the window: the store cannot tell what the client has.
      const old = await store.readAfter('order-1', 10);
      expect(old.reset).toEqual({ reason: 'trimmed', oldestId: old.events[0]?.id });
      expect(old.events.map((record) => record.data)).toEqual(['old', ...Array.from({ length: 9 }, (_, i) => `e${i}`)]);
    });
    const lookups = commands.filter((args) => args[0] === 'XREVRANGE');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.slice(-2)).toEqual(['COUNT', String(APPLICATION_ID_WINDOW + 1)]);
    expect((await store.readAfter('order-0', 10)).reset?.reason).toBe('trimmed');

    // A client with that Last-Event-ID is told, with event: reset, before every held event.
    const sse = createSse({ store, heartbeatMs: 0 });
    const http = await startSseServer(0, sse);
    try {
      const client = openRawStream(http.port, { path: '/events', headers: { 'Last-Event-ID': 'order-1' } });
      const total = APPLICATION_ID_WINDOW + 1;
      await client.until((c) => c.events.length >= 1 + total, 'the reset and every held event', 30_000);
      client.close();
      expect(client.events[0]?.event).toBe('reset');
      expect(JSON.parse(client.events[0]?.data ?? '')).toMatchObject({ reason: 'trimmed' });
      expect(client.events.slice(1).map((event) => event.data)).toEqual([
        'old',
        ...Array.from({ length: APPLICATION_ID_WINDOW - 1 }, (_, i) => `e${i}`),
        'new',
      ]);
    } finally {
      sse.stop();
      await http.stop();
    }
  }, 60_000);

  it('shares a read in flight only with the same cursor: none and the Last-Event-ID text "undefined" each get their own', async () => {
    const store = engine.store('no-cursor-or-text');
    const stop = store.follow?.(() => undefined);
    try {
      for (let index = 1; index <= 3; index += 1)
        await store.append({ id: undefined, data: `e${index}`, storedAt: index });
      const [fresh, named] = await Promise.all([store.readAfter(undefined), store.readAfter('undefined')]);
      expect(fresh.reset).toBeUndefined();
      expect(named.reset?.reason).toBe('unknown');
      expect(fresh.events.map((record) => record.data)).toEqual(['e1', 'e2', 'e3']);
      expect(named.events.map((record) => record.data)).toEqual(['e1', 'e2', 'e3']);
      const [text, none] = await Promise.all([store.readAfter('undefined'), store.readAfter(undefined)]);
      expect(text.reset?.reason).toBe('unknown');
      expect(none.reset).toBeUndefined();
    } finally {
      stop?.();
    }
  });

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
