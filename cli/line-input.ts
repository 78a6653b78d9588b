import { StringDecoder } from 'node:string_decoder';

/** Longest command line line mode reads; the rest of a longer line is skipped. */
export const MAX_INPUT_LINE_BYTES = 1024 * 1024;

export interface LineInputHandlers {
  readonly line: (text: string) => void;
  /** A line longer than the limit was skipped; `bytes` is how long it was. */
  readonly tooLong: (bytes: number) => void;
  readonly end: () => void;
}

/**
Reads `input` line by line (LF or CRLF), holding at most `maxBytes` of one line:
readline keeps a line whole however long it grows, and a 600 MB line ends the
process. A longer line is skipped to its end and reported once; reading goes on.
Hand-written because it is small and the bound is the point.
*/
export function readInputLines(
  input: NodeJS.ReadableStream,
  handlers: LineInputHandlers,
  maxBytes = MAX_INPUT_LINE_BYTES,
): void {
  let parts: Buffer[] = [];
  let held = 0;
  /** Bytes of the current line so far when it is being skipped; undefined otherwise. */
  let skipping: number | undefined;

  const finishLine = (): void => {
    if (skipping !== undefined) {
      handlers.tooLong(skipping);
      skipping = undefined;
    } else {
      const decoder = new StringDecoder('utf8');
      let text = parts.map((part) => decoder.write(part)).join('') + decoder.end();
      if (text.endsWith('\r')) text = text.slice(0, -1);
      handlers.line(text);
    }
    parts = [];
    held = 0;
  };

  const take = (piece: Buffer): void => {
    if (skipping !== undefined) {
      skipping += piece.length;
      return;
    }
    if (held + piece.length > maxBytes) {
      skipping = held + piece.length;
      parts = [];
      held = 0;
      return;
    }
    parts.push(piece);
    held += piece.length;
  };

  input.on('data', (chunk: Buffer | string) => {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a)) {
      take(bytes.subarray(0, end));
      finishLine();
      bytes = bytes.subarray(end + 1);
    }
    if (bytes.length > 0) take(bytes);
  });
  input.on('end', () => {
    if (held > 0 || skipping !== undefined) finishLine();
    handlers.end();
  });
  // A closed or broken stdin is the end of input, not a crash.
  input.on('error', () => handlers.end());
}
