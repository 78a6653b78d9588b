/**
Microseconds on the machine's monotonic clock. `process.hrtime` reads
CLOCK_MONOTONIC on Linux, which every process on the machine shares, so a
timestamp taken in the subject process can be subtracted from one taken in the
load generator to get a send-to-receive latency.
*/
export function nowUs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e6 + nanoseconds / 1e3;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
