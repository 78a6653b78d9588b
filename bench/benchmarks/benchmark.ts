import type { BenchmarkResult } from '../harness/result.js';

export interface BenchContext {
  readonly rounds: number;
  readonly quick: boolean;
  /** Connections per process in the Redis fan-out (`--redis-connections`). */
  readonly redisConnections: number;
  /** A progress line for the person waiting (stderr; never part of the results). */
  progress(text: string): void;
}

export interface Benchmark {
  /** The `--only` name. */
  readonly name: string;
  readonly title: string;
  run(context: BenchContext): Promise<BenchmarkResult>;
}
