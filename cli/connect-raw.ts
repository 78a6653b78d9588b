import { showLine } from '../core/terminal/terminal-text.js';
import type { Palette } from './connect-style.js';

/** Columns of one displayed line of raw bytes (a longer line is cut, with a marker). */
const RAW_LINE_COLUMNS = 64 * 1024;

const pictures: Readonly<Record<string, string>> = {
  '\r\n': '\u240D\u240A',
  '\n': '\u240A',
  '\r': '\u240D',
};

/**
Shows body bytes exactly as they came, with every line ending made visible: CRLF as
␍␊, LF as ␊, CR as ␍, each ending its display line. A BOM shows as ⟨BOM⟩; other
controls are escaped as everywhere else (a tab as ␉, NUL as \x00, ESC as \x1b).
Call `reset()` when a new response starts.
*/
export function createRawFormatter(palette: Palette): {
  format(bytes: Uint8Array): string[];
  reset(): void;
} {
  // ignoreBOM keeps a BOM in the text, so it can be shown rather than silently eaten.
  let decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return {
    format(bytes) {
      const text = decoder.decode(bytes, { stream: true });
      const lines: string[] = [];
      const pattern = /\r\n|\n|\r/g;
      let start = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        lines.push(showBytes(text.slice(start, match.index), palette) + palette.cyan(pictures[match[0]] ?? ''));
        start = match.index + match[0].length;
      }
      if (start < text.length) lines.push(showBytes(text.slice(start), palette));
      return lines;
    },
    reset() {
      decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    },
  };
}

function showBytes(text: string, palette: Palette): string {
  // Escaped first (the BOM is not a control, so it comes through), then the BOM marked.
  return showLine(text, RAW_LINE_COLUMNS).replace(/\uFEFF/g, palette.magenta('\u27E8BOM\u27E9'));
}
