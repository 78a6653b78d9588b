import { describe, expect, it } from 'vitest';
import { serverTimestamp } from '../../../../core/app/server-timestamp.js';
import { createSamples } from '../../../../core/app/bench/samples.js';

const at = Date.UTC(2026, 11, 7, 18, 0, 0, 250);

describe('serverTimestamp: when the server says it sent an event', () => {
  it.each([
    [String(at), at],
    [String(at / 1000), at],
    [String(at * 1000), at],
    [new Date(at).toISOString(), at],
    [JSON.stringify({ ts: at, text: 'hi' }), at],
    [JSON.stringify({ timestamp: at / 1000 }), at],
    [JSON.stringify({ time: new Date(at).toISOString() }), at],
    [JSON.stringify({ sentAt: String(at) }), at],
    [JSON.stringify({ text: 'x', sentAt: at, ts: 'not a time' }), at],
  ])('%s → epoch ms', (data, ms) => {
    expect(serverTimestamp(data)).toBeCloseTo(ms, 3);
  });

  it.each([
    'hello',
    '42',
    '',
    '{"ts":42}',
    '{"ts":',
    '[1765130400250]',
    'tick 5',
    '12/07/2026',
    '{"date":1765130400250}',
  ])('%j carries no time', (data) => {
    expect(serverTimestamp(data)).toBeUndefined();
  });
});

describe('createSamples', () => {
  it('gives nearest-rank p50 and p99, the exact max and count', () => {
    const samples = createSamples();
    expect(samples.summary()).toBeUndefined();
    for (let value = 1; value <= 200; value += 1) samples.add(value);
    expect(samples.summary()).toEqual({ count: 200, p50: 100, p99: 198, max: 200 });
  });

  it('stays bounded past 100,000 values, with an exact count and max', () => {
    const samples = createSamples(() => 0.5);
    for (let index = 0; index < 150_000; index += 1) samples.add(index % 1000);
    samples.add(5000);
    const summary = samples.summary();
    expect(summary?.count).toBe(150_001);
    expect(summary?.max).toBe(5000);
    expect(summary?.p50).toBeGreaterThan(400);
    expect(summary?.p50).toBeLessThan(600);
  });
});
