/** Bytes to write to a connection, and where each event in them ends. */
export interface Chunk {
  readonly bytes: Buffer;
  /** Offsets just past each event (comments are not events), for `closeAfter` cuts. */
  readonly eventEnds: readonly number[];
}

export interface ChunkPart {
  readonly bytes: Buffer;
  /** False for comments (heartbeats, notes), which do not count as events. */
  readonly isEvent: boolean;
}

/** Joins parts with one copy (none for a single part) and records event boundaries. */
export function joinParts(parts: readonly ChunkPart[]): Chunk {
  const eventEnds: number[] = [];
  let length = 0;
  for (const part of parts) {
    length += part.bytes.length;
    if (part.isEvent) {
      eventEnds.push(length);
    }
  }
  const only = parts.length === 1 ? parts[0] : undefined;
  const bytes = only
    ? only.bytes
    : Buffer.concat(
        parts.map((part) => part.bytes),
        length,
      );
  return { bytes, eventEnds };
}

export interface WriteBatch {
  /** Queues bytes for every connection; they are written at the end of this tick. */
  add(part: ChunkPart): void;
  /** Writes whatever is queued now. Safe to call when nothing is. */
  flush(): void;
}

/**
Coalesces everything sent in one tick into one chunk, written once per connection:
one `res.write` (one HTTP chunk, one syscall) per connection per tick, however many
events a loop sends.

The flush runs in a microtask (`queueMicrotask`) rather than `setImmediate`: it fires
as soon as the synchronous code that sent the events returns, before any I/O
callback, so batching adds no event-loop turn of latency and no request can be
handled between a send and its write. Sends spread over several awaits are written
in several chunks, which is fine: order is kept either way.
*/
export function createWriteBatch(deliver: (chunk: Chunk) => void): WriteBatch {
  let parts: ChunkPart[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (parts.length === 0) {
      return;
    }
    const taken = parts;
    parts = [];
    deliver(joinParts(taken));
  }

  return {
    add(part) {
      parts.push(part);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    flush,
  };
}
