/**
Finds where SSE events end in a byte stream, without decoding it: an event ends at
a blank line, and lines end with CRLF, LF or CR. The proxy injects its own events
only at such a boundary, never inside an upstream event. Written by hand because it
is a three-state scan over bytes on the hot path (the decoder works on text).
*/
export interface EventBoundaryScanner {
  /** Offsets in `chunk` just after each blank line that ends an event (or stray blank line). */
  scan(chunk: Uint8Array): number[];
  /** True when every byte seen so far belongs to complete events: nothing is half-sent. */
  atBoundary(): boolean;
}

const LF = 0x0a;
const CR = 0x0d;

/** Where in an event a scan starts that does not start with the stream. */
export interface ScanStart {
  readonly atLineStart: boolean;
  /** The byte before the start was a CR (an LF first is the rest of a CRLF). */
  readonly afterCr: boolean;
}

export function createEventBoundaryScanner(start?: ScanStart): EventBoundaryScanner {
  let atLineStart = start?.atLineStart ?? true;
  let afterCr = start?.afterCr ?? false;
  // A stream starts between events; a scan started inside one is not at a boundary.
  let atBoundary = start === undefined;
  // A boundary after a CR that ended the previous chunk: placed once the next byte shows
  // whether an LF belongs to it.
  let crBoundaryPending = false;
  return {
    scan(chunk) {
      const ends: number[] = [];
      if (crBoundaryPending && chunk.length > 0) {
        crBoundaryPending = false;
        ends.push(chunk[0] === LF ? 1 : 0);
        if (chunk[0] === LF) afterCr = false;
      }
      for (let i = ends.length > 0 && ends[0] === 1 ? 1 : 0; i < chunk.length; i += 1) {
        const byte = chunk[i];
        if (byte === LF && afterCr) {
          // The LF of a CRLF: the CR already ended the line. A boundary found at
          // the CR moves past its LF, so nothing is ever put between the two.
          afterCr = false;
          if (ends.at(-1) === i) ends[ends.length - 1] = i + 1;
          continue;
        }
        if (byte === LF || byte === CR) {
          if (atLineStart) {
            ends.push(i + 1);
            atBoundary = true;
          } else {
            atBoundary = false;
          }
          atLineStart = true;
          afterCr = byte === CR;
          continue;
        }
        atLineStart = false;
        afterCr = false;
        atBoundary = false;
      }
      if (afterCr && ends.at(-1) === chunk.length) {
        ends.pop();
        crBoundaryPending = true;
      }
      return ends;
    },
    // A CR last seen may still get its LF: not a safe place until that is known.
    atBoundary: () => atBoundary && !afterCr,
  };
}
