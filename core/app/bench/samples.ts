/** Samples a distribution keeps: past it, a uniform reservoir sample of all values seen. */
const MAX_SAMPLES = 100_000;

export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
A bounded set of measurements (ms) with their percentiles. A run of 1,000 streams at
100 events/s for 10 minutes sees 60 million; a reservoir keeps the percentiles
honest in fixed memory, while `count` and `max` are exact.
*/
export interface Samples {
  add(value: number): void;
  summary(): Summary | undefined;
}

export function createSamples(random: () => number = Math.random): Samples {
  const kept: number[] = [];
  let count = 0;
  let max = -Infinity;
  return {
    add(value) {
      count += 1;
      if (value > max) max = value;
      if (kept.length < MAX_SAMPLES) kept.push(value);
      else {
        const slot = Math.floor(random() * count);
        if (slot < MAX_SAMPLES) kept[slot] = value;
      }
    },
    summary() {
      if (count === 0) return undefined;
      const sorted = [...kept].sort((a, b) => a - b);
      // Nearest rank: the smallest value with at least q of the samples at or below it.
      const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
      const round = (value: number): number => Math.round(value * 10) / 10;
      return { count, p50: round(rank(0.5)), p99: round(rank(0.99)), max: round(max) };
    },
  };
}
