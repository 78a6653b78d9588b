/** Bytes to write to a connection, and where each event in them ends. */
export interface Chunk {
  readonly bytes: Buffer;
  /**
  The same bytes as one HTTP/1.1 chunk (size line, bytes, CRLF), made once and shared
  by every HTTP/1.1 connection that is written this chunk whole (see connection.ts).
  `bytes` is a view into it, so the two cost one allocation.
  */
  readonly framed: Buffer;
  /** Offsets just past each event (comments are not events), for `closeAfter` cuts. */
  readonly eventEnds: readonly number[];
}

export interface ChunkPart {
  readonly bytes: Buffer;
  /** False for comments (heartbeats, notes), which do not count as events. */
  readonly isEvent: boolean;
}

const CRLF = 0x0d0a;

/**
Copies `parts` (of `length` bytes in all) into one HTTP/1.1 chunk: the size in hex and
CRLF, the bytes, CRLF. The same framing node:http writes for `res.write(bytes)` on a
chunked response, so a socket written this buffer carries exactly what it carried
through `res.write`.
*/
function frame(parts: readonly Buffer[], length: number): { framed: Buffer; bytes: Buffer } {
  const sizeLine = `${length.toString(16)}\r\n`;
  const framed = Buffer.allocUnsafe(sizeLine.length + length + 2);
  let offset = framed.write(sizeLine, 0, 'latin1');
  const start = offset;
  for (const part of parts) {
    offset += part.copy(framed, offset);
  }
  framed.writeUInt16BE(CRLF, offset);
  return { framed, bytes: framed.subarray(start, offset) };
}

/** One HTTP/1.1 chunk of `bytes` (for the rare cut that a shared chunk cannot serve). */
export function frameBytes(bytes: Buffer): Buffer {
  return frame([bytes], bytes.length).framed;
}

/** Joins parts with one copy, framed for HTTP/1.1 as well, and records event boundaries. */
export function joinParts(parts: readonly ChunkPart[]): Chunk {
  const eventEnds: number[] = [];
  let length = 0;
  for (const part of parts) {
    length += part.bytes.length;
    if (part.isEvent) {
      eventEnds.push(length);
    }
  }
  const { framed, bytes } = frame(
    parts.map((part) => part.bytes),
    length,
  );
  return { bytes, framed, eventEnds };
}

export interface WriteBatch {
  /** Queues bytes for every connection; they are written at the end of this tick. */
  add(part: ChunkPart): void;
  /** Writes whatever is queued now. Safe to call when nothing is. */
  flush(): void;
}

/**
Coalesces everything sent in one tick into one chunk, written once per connection:
one write (one HTTP chunk, one syscall) per connection per tick, however many events
a loop sends. The chunk is framed once for HTTP/1.1 and that one buffer goes to every
HTTP/1.1 socket, so a tick costs one copy, not one framing per connection.

The flush runs in a microtask (`queueMicrotask`) rather than `setImmediate`: it fires
as soon as the synchronous code that sent the events returns, before any I/O
callback, so batching adds no event-loop turn of latency and no request can be
handled between a send and its write. Sends spread over several awaits are written
in several chunks, which is fine: order is kept either way.

With `windowMs` > 0 (`createSse({ flushMs })`) the flush waits for a timer instead, so
sends spread over many turns share one chunk: fewer writes per event, for up to
`windowMs` of latency. Whoever writes outside the batch (sendTo, filtered sends, a new
connection, close, stop, replay) calls `flush()` first, which cancels the timer.
*/
export function createWriteBatch(deliver: (chunk: Chunk) => void, windowMs = 0): WriteBatch {
  let parts: ChunkPart[] = [];
  let scheduled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush(): void {
    scheduled = false;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
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
        if (windowMs > 0) {
          timer = setTimeout(flush, windowMs);
        } else {
          queueMicrotask(flush);
        }
      }
    },
    flush,
  };
}
