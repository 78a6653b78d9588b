import { createHeldEvents } from './held-events.js';

export interface StreamFaults {
  /** Hold every upstream event back this long. */
  readonly delayMs: number;
  /** Drop this many upstream events (counts down). */
  readonly drop: number;
  /** Hold every upstream event until resumed. */
  readonly paused: boolean;
}

export interface FaultTimingParts {
  readonly faults: StreamFaults;
  readonly now: () => number;
  /** Writes an upstream event that may go now; `heldMs` is how long it waited. */
  readonly release: (block: Buffer, heldMs: number) => void;
  /** An upstream event `drop` kept from the browser. */
  readonly dropped: (block: Buffer) => void;
  /** Held events reached their bound (true: the upstream must wait) or fell to half of it (false). */
  readonly onFull: (full: boolean) => void;
}

/**
One stream's `delay`, `drop` and `pause`: which of them is in force, and what each
complete upstream event becomes under them (dropped, or held until due in
held-events.ts).
*/
export interface FaultTiming {
  /** One complete upstream event while faults are in force. */
  deliver(block: Buffer): void;
  /** A fault is in force or events are still held: upstream events go through deliver(). */
  holding(): boolean;
  setDelay(ms: number): void;
  setDrop(count: number): void;
  setPaused(paused: boolean): void;
  /** The upstream ended: held events go out now, unless paused (then they are lost). */
  releaseAll(): void;
  stop(): void;
  faults(): StreamFaults;
  /** Bytes held now. */
  heldBytes(): number;
}

/** True when a complete block holds a field line (data, event, id, retry …), not only comments. */
function isEventBlock(block: Buffer): boolean {
  return /(^|[\r\n])[^:\r\n]/.test(block.toString('latin1'));
}

export function createFaultTiming(parts: FaultTimingParts): FaultTiming {
  let faults = parts.faults;
  const held = createHeldEvents({ now: parts.now, release: parts.release, onFull: parts.onFull });
  held.setPaused(faults.paused);
  return {
    deliver(block) {
      if (faults.drop > 0 && isEventBlock(block)) {
        faults = { ...faults, drop: faults.drop - 1 };
        parts.dropped(block);
        return;
      }
      held.hold(block, faults.delayMs);
    },
    holding: () => faults.paused || faults.delayMs > 0 || faults.drop > 0 || held.count() > 0,
    setDelay(ms) {
      faults = { ...faults, delayMs: ms };
      held.setDelay(ms);
    },
    setDrop(count) {
      faults = { ...faults, drop: count };
    },
    setPaused(paused) {
      faults = { ...faults, paused };
      held.setPaused(paused);
    },
    releaseAll: () => held.releaseAll(),
    stop: () => held.stop(),
    faults: () => faults,
    heldBytes: () => held.bytes(),
  };
}

/** The faults in force, in words ("" when none). */
export function describeFaults(faults: StreamFaults): string {
  // The usual case, asked for every event's report: no words to gather.
  if (!faults.paused && faults.delayMs === 0 && faults.drop === 0) return '';
  const words: string[] = [];
  if (faults.paused) words.push('paused');
  if (faults.delayMs > 0) words.push(`delay ${faults.delayMs}ms`);
  if (faults.drop > 0) words.push(`drop ${faults.drop}`);
  return words.join(', ');
}
