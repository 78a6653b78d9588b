/** One write to the browser and what follows it once it went out (the inspection's copy). */
interface Gathered {
  readonly bytes: Buffer;
  readonly sent: () => void;
}

export interface GatheredOutputParts {
  /** Writes bytes to the browser now. */
  readonly write: (bytes: Buffer) => void;
}

/**
`buffer BYTES`: output to the browser gathers until that many bytes are held, then
goes in one write, as a buffering reverse proxy (nginx's proxy_buffering) passes a
stream on. With a size of 0 every write goes out at once. What is held was not seen
by the browser, so its `sent` (the inspection) runs only when it goes.
*/
export interface GatheredOutput {
  write(bytes: Buffer, sent: () => void): void;
  /** Sets the size; a smaller one (0: off) sends what is held now if it reaches it. */
  setSize(bytes: number): void;
  /** Sends everything held (the stream ends, or the buffer was turned off). */
  flush(): void;
  /** Bytes held now. */
  held(): number;
}

export function createGatheredOutput(parts: GatheredOutputParts): GatheredOutput {
  let size = 0;
  let held: Gathered[] = [];
  let heldBytes = 0;

  function flush(): void {
    if (held.length === 0) return;
    const going = held;
    held = [];
    heldBytes = 0;
    parts.write(going.length === 1 ? (going[0]?.bytes ?? Buffer.alloc(0)) : Buffer.concat(going.map((g) => g.bytes)));
    for (const item of going) item.sent();
  }

  return {
    write(bytes, sent) {
      if (size === 0 && held.length === 0) {
        parts.write(bytes);
        sent();
        return;
      }
      held.push({ bytes, sent });
      heldBytes += bytes.length;
      if (heldBytes >= size) flush();
    },
    setSize(bytes) {
      size = bytes;
      if (heldBytes >= size) flush();
    },
    flush,
    held: () => heldBytes,
  };
}
