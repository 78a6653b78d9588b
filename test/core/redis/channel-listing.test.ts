import { describe, expect, it } from 'vitest';
import { connectRedisEngine } from '../../../core/redis/index.js';
import { startRedisServer } from '../../../bench/harness/redis-server.js';
import { useCleanup } from '../../support/wait.js';

// RedisEngine.channels() and hasChannel(): the channels whose log is in Redis under the
// engine's prefix, whichever process wrote them, bounded, without opening a store.

const cleanup = useCleanup();

describe('RedisEngine channel listing', () => {
  it('lists the channels under its prefix only, sorted and capped, and tells whether one exists', async () => {
    const redis = await startRedisServer();
    cleanup(() => redis.dispose());
    // A prefix with glob characters: they match themselves, not as patterns.
    const writer = await connectRedisEngine({ url: redis.url, prefix: 'a*:' });
    cleanup(() => writer.close());
    const other = await connectRedisEngine({ url: redis.url, prefix: 'ab:' });
    cleanup(() => other.close());
    for (const name of ['c', 'a', 'b']) await writer.store(name).append({ id: undefined, data: name, storedAt: 1 });
    await other.store('elsewhere').append({ id: undefined, data: 'x', storedAt: 1 });

    const reader = await connectRedisEngine({ url: redis.url, prefix: 'a*:' });
    cleanup(() => reader.close());
    expect(await reader.channels()).toEqual(['a', 'b', 'c']);
    expect(await reader.channels({ max: 2 })).toHaveLength(2);
    expect(await reader.hasChannel('b')).toBe(true);
    expect(await reader.hasChannel('elsewhere')).toBe(false);
    await expect(reader.channels({ max: 0 })).rejects.toThrow(/1 or more/);
  });
});
