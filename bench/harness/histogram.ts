/**
A latency histogram in microseconds: 1 µs buckets below 100 µs, then buckets 1 %
wide. Recording is O(1) and memory is fixed, so the load generator can record
every one of millions of deliveries without falling behind.
*/
export interface Histogram {
  record(us: number): void;
  /** The value at quantile q (0–1), accurate to 1 %; 0 when empty. */
  quantile(q: number): number;
  readonly count: number;
  readonly max: number;
  reset(): void;
}

const linearLimit = 100;
const growth = Math.log(1.01);
const bucketCount = linearLimit + Math.ceil(Math.log(1e9 / linearLimit) / growth) + 1;

function bucketOf(us: number): number {
  if (us < linearLimit) return us < 0 ? 0 : Math.floor(us);
  return Math.min(bucketCount - 1, linearLimit + Math.floor(Math.log(us / linearLimit) / growth));
}

function valueOf(bucket: number): number {
  if (bucket < linearLimit) return bucket;
  return linearLimit * Math.exp((bucket - linearLimit + 0.5) * growth);
}

export function createHistogram(): Histogram {
  const counts = new Float64Array(bucketCount);
  let count = 0;
  let max = 0;
  return {
    record(us) {
      const bucket = bucketOf(us);
      counts[bucket] = (counts[bucket] ?? 0) + 1;
      count += 1;
      if (us > max) max = us;
    },
    quantile(q) {
      if (count === 0) return 0;
      const rank = Math.max(1, Math.ceil(q * count));
      let seen = 0;
      for (let bucket = 0; bucket < bucketCount; bucket += 1) {
        seen += counts[bucket] ?? 0;
        if (seen >= rank) return Math.min(valueOf(bucket), max);
      }
      return max;
    },
    get count() {
      return count;
    },
    get max() {
      return max;
    },
    reset() {
      counts.fill(0);
      count = 0;
      max = 0;
    },
  };
}
