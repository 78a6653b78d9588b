import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeReplayStore } from '../../../core/testing.js';
import { connectRedisEngine, type RedisEngine } from '../../../core/redis/index.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';

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

describeReplayStore('the shared store suite: a Redis engine channel', () => engine.store(`channel-${++channels}`), {
  describe,
  it,
});

describe('a Redis engine channel', () => {
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
