/**
Follows an HTTP/1.1 chunked body as raw bytes arrive, without copying its data: the
proxy writes the upstream's raw bytes to the browser unchanged (a browser response
that is chunked too), and needs to know only where the payload is (for the console's
copy), where chunks end (the only places its own chunks may go in between) and where
the last chunk starts (the browser gets the proxy's own `0\r\n\r\n`).

Strict on purpose: what it accepts must mean the same to the browser, so size lines
and chunk ends need CRLF, extensions hold visible characters only, and anything else
is an error (the stream is cut, as node:http's own parser would cut it).
*/
export interface ChunkedScan {
  /** The bytes this scan covered: the input, with a size line held back last time in front of it. */
  readonly raw: Buffer;
  /** Payload pieces of `raw`, in order, each with where in `raw` it starts. */
  readonly payload: readonly { readonly data: Buffer; readonly rawStart: number }[];
  /** Offsets in `raw` just after each chunk's closing CRLF. */
  readonly chunkEnds: readonly number[];
  /** Where in `raw` the bytes not to forward start: the last chunk, or a size line not finished yet. */
  readonly forwardEnd: number;
  /** The whole body has been read (last chunk and trailers). */
  readonly complete: boolean;
  /** Why the bytes are not a valid chunked body, if they are not (nothing after the fault is covered). */
  readonly error: string | undefined;
}

export interface ChunkedBodyReader {
  scan(input: Buffer): ChunkedScan;
  /** Every byte forwarded so far belongs to whole chunks: another chunk may follow. */
  betweenChunks(): boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const HTAB = 0x09;
const MAX_SIZE_DIGITS = 12;
const MAX_LINE_BYTES = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;

type State =
  | 'size'
  | 'extension'
  | 'size-lf'
  | 'data'
  | 'data-cr'
  | 'data-lf'
  | 'trailer-line-start'
  | 'trailer-line'
  | 'trailer-lf'
  | 'trailer-end-lf'
  | 'done';

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

export function createChunkedBodyReader(): ChunkedBodyReader {
  let state: State = 'size';
  let size = 0;
  let digits = 0;
  let lineBytes = 0;
  let remaining = 0;
  let trailerBytes = 0;
  /** A size line not finished at the end of the last input: scanned again with the next. */
  let heldLine: Buffer | undefined;

  function scan(input: Buffer): ChunkedScan {
    const raw = heldLine === undefined ? input : Buffer.concat([heldLine, input]);
    heldLine = undefined;
    const payload: { data: Buffer; rawStart: number }[] = [];
    const chunkEnds: number[] = [];
    // Past the last chunk's size line nothing is forwarded as it came.
    let forwardEnd = state.startsWith('trailer') || state === 'done' ? 0 : -1;
    let lineStart = 0;
    const fail = (why: string): ChunkedScan => ({
      raw,
      payload,
      chunkEnds,
      forwardEnd: forwardEnd === -1 ? lineStart : forwardEnd,
      complete: false,
      error: `the upstream's chunked body is not valid HTTP/1.1: ${why}`,
    });
    let i = 0;
    while (i < raw.length) {
      const byte = raw[i] ?? 0;
      switch (state) {
        case 'size': {
          if (digits === 0) lineStart = i;
          const value = hexValue(byte);
          if (value >= 0) {
            digits += 1;
            if (digits > MAX_SIZE_DIGITS) return fail(`a chunk size longer than ${MAX_SIZE_DIGITS} hex digits`);
            size = size * 16 + value;
          } else if (digits === 0) {
            return fail('a chunk size line that does not start with a hex digit');
          } else if (byte === 0x3b) {
            state = 'extension';
          } else if (byte === CR) {
            state = 'size-lf';
          } else {
            return fail('a chunk size followed by something other than ";" or CRLF');
          }
          lineBytes = digits;
          i += 1;
          break;
        }
        case 'extension':
          lineBytes += 1;
          if (lineBytes > MAX_LINE_BYTES) return fail(`a chunk size line longer than ${MAX_LINE_BYTES} bytes`);
          if (byte === CR) state = 'size-lf';
          else if (byte !== HTAB && (byte < 0x20 || byte === 0x7f)) {
            return fail('a control character in a chunk extension');
          }
          i += 1;
          break;
        case 'size-lf':
          if (byte !== LF) return fail('a chunk size line ended by CR without LF');
          i += 1;
          digits = 0;
          if (size === 0) {
            // The last chunk: from its size line on, nothing is forwarded as it came.
            if (forwardEnd === -1) forwardEnd = lineStart;
            state = 'trailer-line-start';
          } else {
            remaining = size;
            state = 'data';
          }
          size = 0;
          break;
        case 'data': {
          const take = Math.min(remaining, raw.length - i);
          payload.push({ data: raw.subarray(i, i + take), rawStart: i });
          remaining -= take;
          i += take;
          if (remaining === 0) state = 'data-cr';
          break;
        }
        case 'data-cr':
          if (byte !== CR) return fail('chunk data longer than its size (no CRLF after it)');
          state = 'data-lf';
          i += 1;
          break;
        case 'data-lf':
          if (byte !== LF) return fail('chunk data followed by CR without LF');
          i += 1;
          chunkEnds.push(i);
          state = 'size';
          break;
        case 'trailer-line-start':
          if (byte === CR) {
            state = 'trailer-end-lf';
            i += 1;
            break;
          }
          state = 'trailer-line';
          break;
        case 'trailer-line':
          trailerBytes += 1;
          if (trailerBytes > MAX_TRAILER_BYTES) return fail(`trailers longer than ${MAX_TRAILER_BYTES} bytes`);
          if (byte === CR) state = 'trailer-lf';
          else if (byte === LF || (byte < 0x20 && byte !== HTAB) || byte === 0x7f) {
            return fail('a control character in a trailer line');
          }
          i += 1;
          break;
        case 'trailer-lf':
          if (byte !== LF) return fail('a trailer line ended by CR without LF');
          state = 'trailer-line-start';
          i += 1;
          break;
        case 'trailer-end-lf':
          if (byte !== LF) return fail('the end of the trailers is CR without LF');
          state = 'done';
          i += 1;
          break;
        case 'done':
          // Bytes after the body's end are no part of this answer; the connection is closed after it.
          i = raw.length;
          break;
      }
    }
    if (forwardEnd === -1 && (state === 'size' || state === 'extension' || state === 'size-lf') && digits > 0) {
      // A size line cut by the read: it might be the last chunk's, so it waits for the rest.
      forwardEnd = lineStart;
      heldLine = raw.subarray(lineStart);
      state = 'size';
      size = 0;
      digits = 0;
    }
    return {
      raw,
      payload,
      chunkEnds,
      forwardEnd: forwardEnd === -1 ? raw.length : forwardEnd,
      complete: state === 'done',
      error: undefined,
    };
  }

  return {
    scan,
    betweenChunks: () => state === 'size' && digits === 0,
  };
}
