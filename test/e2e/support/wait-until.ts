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

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 2000 ? `…${value.slice(-2000)}` : value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  } catch {
    return String(value);
  }
}

/**
Polls `probe` until `done` accepts its value and returns that value. On the
deadline it throws, showing the last value seen, so a failure says what the
page, log or screen showed instead. A probe that throws counts as "not yet"
(its message is reported if time runs out).
*/
export async function waitUntil<T>(options: WaitOptions<T>): Promise<T> {
  const { what, probe, done, timeoutMs = 15_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await probe();
      last = { value };
      if (done(value)) return value;
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const seen =
    last === undefined
      ? 'nothing (the probe never finished)'
      : 'value' in last
        ? describe(last.value)
        : `an error: ${last.error instanceof Error ? last.error.message : String(last.error)}`;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw ${seen}`);
}
