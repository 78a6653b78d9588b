/** Where `rechunk` splits the byte stream to the browser. */
export type RechunkMode = 'off' | 'utf8' | 'crlf' | 'bytes';

export const RECHUNK_MODES: readonly RechunkMode[] = ['utf8', 'crlf', 'bytes', 'off'];

/** Bytes queued past this make the write say "wait" (back-pressure, as a full socket does). */
const QUEUE_HIGH_BYTES = 64 * 1024;

/** Offsets where `mode` cuts `bytes` (each strictly inside it). */
function cutPoints(bytes: Buffer, mode: RechunkMode): number[] {
  const cuts: number[] = [];
  if (mode === 'bytes') {
    for (let at = 1; at < bytes.length; at++) cuts.push(at);
  } else if (mode === 'crlf') {
    for (let at = 1; at < bytes.length; at++) if (bytes[at - 1] === 0x0d && bytes[at] === 0x0a) cuts.push(at);
  } else if (mode === 'utf8') {
    // Right after the lead byte of each multi-byte sequence: the browser's decoder must keep half a character.
    for (let at = 0; at + 1 < bytes.length; at++) if (((bytes[at] ?? 0) & 0xc0) === 0xc0) cuts.push(at + 1);
  }
  return cuts;
}

export interface RechunkerParts {
  /** Writes one piece to the browser now; false: its socket is full. */
  readonly write: (piece: Buffer) => boolean;
  /** The queue emptied after a write said "wait". */
  readonly drained: () => void;
}

/**
`rechunk MODE`: output to the browser is cut where a parser that assumes whole
characters or whole line ends breaks (inside a UTF-8 sequence, between CR and LF,
after every byte), and each piece goes in its own write one event-loop turn after
the one before, so the browser reads it alone. With `off` (and an empty queue)
writes pass at once.
*/
export interface Rechunker {
  write(bytes: Buffer): boolean;
  setMode(mode: RechunkMode): void;
  /** Runs `then` once every queued piece was written (at once when none is). */
  whenIdle(then: () => void): void;
  mode(): RechunkMode;
  /** Pieces still queued: nothing may overtake them. */
  busy(): boolean;
}

export function createRechunker(parts: RechunkerParts): Rechunker {
  let mode: RechunkMode = 'off';
  const queue: Buffer[] = [];
  let queued = 0;
  let pumping = false;
  let saidWait = false;
  const idle: (() => void)[] = [];

  function pump(): void {
    const piece = queue.shift();
    if (piece === undefined) {
      pumping = false;
      for (const then of idle.splice(0)) then();
      if (saidWait) {
        saidWait = false;
        parts.drained();
      }
      return;
    }
    queued -= piece.length;
    parts.write(piece);
    setImmediate(pump);
  }

  return {
    write(bytes) {
      if (mode === 'off' && !pumping) return parts.write(bytes);
      let from = 0;
      for (const cut of [...cutPoints(bytes, mode), bytes.length]) {
        queue.push(bytes.subarray(from, cut));
        from = cut;
      }
      queued += bytes.length;
      if (!pumping) {
        pumping = true;
        setImmediate(pump);
      }
      if (queued < QUEUE_HIGH_BYTES) return true;
      saidWait = true;
      return false;
    },
    setMode(next) {
      mode = next;
    },
    whenIdle(then) {
      if (pumping) idle.push(then);
      else then();
    },
    mode: () => mode,
    busy: () => pumping,
  };
}
