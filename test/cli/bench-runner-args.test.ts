import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/harness/args.js';

// The runner's own options (`npm run bench -- …`), not the `bench` command's.
const names = ['redis', 'redis-fanout', 'redis-storm'];

describe('npm run bench options', () => {
  it('gives the Redis fan-out 1,000 connections per process unless told otherwise', () => {
    const parsed = parseBenchArgs(['--only', 'redis-fanout'], names);
    expect(parsed.ok && parsed.args.redisConnections).toBe(1000);
    const smaller = parseBenchArgs(['--only', 'redis-fanout', '--redis-connections', '300'], names);
    expect(smaller.ok && smaller.args.redisConnections).toBe(300);
    const inline = parseBenchArgs(['--redis-connections=50'], names);
    expect(inline.ok && inline.args.redisConnections).toBe(50);
  });

  it('refuses a connection count outside 1 to 10000, saying what is valid', () => {
    for (const bad of ['0', '10001', 'many', '']) {
      const parsed = parseBenchArgs(['--redis-connections', bad], names);
      expect(parsed).toEqual({
        ok: false,
        error: `--redis-connections takes a whole number from 1 to 10000, got "${bad}"`,
      });
    }
  });
});
