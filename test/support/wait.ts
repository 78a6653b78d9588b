import { afterEach, vi } from 'vitest';

/*
The one way tests wait: vitest's vi.waitFor polls a probe until it holds (and moves
fake timers on when a test uses them); these wrappers only add a message that says
what was awaited, and what was seen last.
*/

/**
Polls `probe` (sync or async) until it returns something other than undefined or
false, and returns that; fails after `timeoutMs` naming `what`.
*/
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 5,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined || value === false)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}

/** What `waitUntil` needs: what is awaited (for the error), how to look, and when it is done. */
export interface WaitOptions<T> {
  /** Words for the timeout error: "waiting for …". */
  readonly what: string;
  readonly probe: () => T | Promise<T>;
  readonly done: (value: T) => boolean;
  /** Default 15 s: generous, because the machine may be loaded. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 2000 ? `…${value.slice(-2000)}` : value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return String(value);
  }
}

/**
`waitFor` for a value that must pass `done`: on the deadline the error shows the
last value seen (or the probe's last error), so a failure says what the page, log
or screen showed instead.
*/
export async function waitUntil<T>(options: WaitOptions<T>): Promise<T> {
  const { what, probe, done, timeoutMs = 15_000, intervalMs = 50 } = options;
  const found = await waitFor(
    async () => {
      let value: T;
      try {
        value = await probe();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw an error: ${reason}`, {
          cause: error,
        });
      }
      if (!done(value)) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw ${shownValue(value)}`);
      }
      return { value };
    },
    what,
    timeoutMs,
    intervalMs,
  );
  return found.value;
}

export type Cleanup = (task: () => unknown) => void;

/** Registers tasks that run after each test, newest first, even when the test failed. */
export function useCleanup(): Cleanup {
  const tasks: Array<() => unknown> = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const task of tasks.splice(0).reverse()) {
      try {
        await task();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw errors[0];
    }
  });
  return (task) => {
    tasks.push(task);
  };
}

/** Runs `work` over `items` in slices of `size`, one slice at a time (bounded concurrency). */
export async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (batch: readonly T[]) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await work(items.slice(start, start + size));
  }
}
