/** Bytes `pause`/`delay` may hold per stream before the upstream is paused too. */
export const MAX_HELD_BYTES = 1024 * 1024;

export interface HeldEventsParts {
  readonly now: () => number;
  /** Writes a held event to the browser; `heldMs` is how long it waited. */
  readonly release: (bytes: Buffer, heldMs: number) => void;
  /** Past MAX_HELD_BYTES the upstream must wait (true) until half of that is left (false). */
  readonly onFull: (full: boolean) => void;
}

/**
The timing of `delay` and `pause`: whole upstream events wait in order, each until it
is due (arrival + the delay in force) and the stream is not paused.
*/
export interface HeldEvents {
  hold(block: Buffer, delayMs: number): void;
  /** A new delay: 0 makes every held event due now. */
  setDelay(ms: number): void;
  setPaused(paused: boolean): void;
  /** Writes every held event now (the upstream ended), unless paused: then they are lost. */
  releaseAll(): void;
  stop(): void;
  bytes(): number;
  count(): number;
}

interface HeldBlock {
  readonly bytes: Buffer;
  readonly arrivedAt: number;
  dueAt: number;
}

export function createHeldEvents(parts: HeldEventsParts): HeldEvents {
  const { now } = parts;
  const held: HeldBlock[] = [];
  let heldBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  let full = false;
  let stopped = false;

  function schedule(): void {
    if (timer !== undefined || paused || stopped) return;
    const head = held[0];
    if (!head) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        releaseDue();
      },
      Math.max(0, head.dueAt - now()),
    );
  }

  function releaseDue(): void {
    while (!stopped && !paused) {
      const head = held[0];
      if (!head || head.dueAt > now()) break;
      held.shift();
      heldBytes -= head.bytes.length;
      parts.release(head.bytes, now() - head.arrivedAt);
    }
    if (full && heldBytes < MAX_HELD_BYTES / 2) {
      full = false;
      parts.onFull(false);
    }
    schedule();
  }

  return {
    hold(block, delayMs) {
      held.push({ bytes: block, arrivedAt: now(), dueAt: now() + delayMs });
      heldBytes += block.length;
      if (heldBytes > MAX_HELD_BYTES && !full) {
        // Held events are bounded: past the limit the upstream waits, as a slow browser makes it.
        full = true;
        parts.onFull(true);
      }
      releaseDue();
    },
    setDelay(ms) {
      if (ms === 0) {
        for (const block of held) block.dueAt = block.arrivedAt;
      }
      releaseDue();
    },
    setPaused(next) {
      paused = next;
      if (!paused) releaseDue();
    },
    releaseAll() {
      if (paused) return;
      for (const block of held.splice(0)) parts.release(block.bytes, now() - block.arrivedAt);
      heldBytes = 0;
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
    bytes: () => heldBytes,
    count: () => held.length,
  };
}
