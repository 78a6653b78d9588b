import { createEventBoundaryScanner } from './event-boundary.js';
import { MAX_HELD_BYTES } from './held-events.js';

/** What the gate asks of its stream (proxied-stream.ts). */
export interface EventGateParts {
  /** Nothing to fit in or hold back: a chunk may go out whole. */
  readonly nothingToChange: () => boolean;
  /** `pause`, `delay` or `drop` is in force, or events are still held. */
  readonly holding: () => boolean;
  /** Writes upstream payload to the browser (re-framed). */
  readonly write: (piece: Buffer) => void;
  /** One complete upstream event, to drop or hold (the faults decide). */
  readonly deliver: (block: Buffer) => void;
  /** The browser is between two events: injections waiting for that may go. */
  readonly betweenEvents: () => void;
}

/**
The event gate: upstream payload goes to the browser as it comes while nothing is
held, and is cut into whole events while faults need that (an event is held or
dropped whole, and nothing is written inside one). It also knows, for every byte
that passed, whether the browser is now inside an upstream event.
*/
export interface EventGate {
  /** Upstream payload to write, or to cut into events while faults are in force. */
  payload(chunk: Buffer): void;
  /** Upstream payload that went out by another way (the raw relay): only followed. */
  passed(chunk: Buffer): void;
  /** The upstream ended: the part of an event gathered so far goes out as it is. */
  flushPartial(): void;
  /** Some of the current upstream event was written already: the rest follows it directly. */
  midEvent(): boolean;
  /** Bytes of the current upstream event gathered, not written yet. */
  partialBytes(): number;
}

export function createEventGate(parts: EventGateParts): EventGate {
  const scanner = createEventBoundaryScanner();
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let midEvent = false;

  function payload(chunk: Buffer): void {
    const ends = scanner.scan(chunk);
    if (parts.nothingToChange()) {
      // The usual case, nothing to fit in or hold back: the chunk goes out whole.
      parts.write(chunk);
      midEvent = !scanner.atBoundary();
      return;
    }
    const cuts = ends.at(-1) === chunk.length ? ends : [...ends, chunk.length];
    let from = 0;
    for (const [index, end] of cuts.entries()) {
      const piece = chunk.subarray(from, end);
      const completes = index < ends.length;
      from = end;
      if (piece.length === 0 && (!completes || partialBytes === 0) && !midEvent) continue;
      if (midEvent || (!parts.holding() && partialBytes === 0)) {
        parts.write(piece);
        midEvent = !completes;
        if (completes) parts.betweenEvents();
        continue;
      }
      partial.push(piece);
      partialBytes += piece.length;
      if (completes) {
        const block = Buffer.concat(partial);
        partial = [];
        partialBytes = 0;
        parts.deliver(block);
      } else if (partialBytes > MAX_HELD_BYTES) {
        // One event larger than the hold limit goes through as it comes.
        const start = Buffer.concat(partial);
        partial = [];
        partialBytes = 0;
        parts.write(start);
        midEvent = true;
      }
    }
  }

  return {
    payload,
    passed(chunk) {
      // The boundary scan stays current: a fault switched on next must know where the browser is.
      scanner.scan(chunk);
      midEvent = !scanner.atBoundary();
    },
    flushPartial() {
      for (const piece of partial.splice(0)) parts.write(piece);
      partialBytes = 0;
    },
    midEvent: () => midEvent,
    partialBytes: () => partialBytes,
  };
}
