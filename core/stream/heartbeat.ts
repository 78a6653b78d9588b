export interface Heartbeat {
  /** Starts the timer if it is not running (and heartbeats are on). */
  start(): void;
  stop(): void;
  readonly running: boolean;
}

/**
One interval timer per stream, shared by all its connections: it runs only while
there are connections, and is unref'd so that it never keeps the process alive.
`intervalMs` 0 turns heartbeats off.
*/
export function createHeartbeat(intervalMs: number, beat: () => void): Heartbeat {
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      if (intervalMs > 0 && timer === undefined) {
        timer = setInterval(beat, intervalMs);
        timer.unref();
      }
    },
    stop() {
      if (timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    },
    get running() {
      return timer !== undefined;
    },
  };
}
