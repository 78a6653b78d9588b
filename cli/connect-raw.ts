import type { Palette } from './connect-style.js';

const pictures: Readonly<Record<string, string>> = {
  '\r\n': '\u240D\u240A',
  '\n': '\u240A',
  '\r': '\u240D',
};

/**
Shows body bytes exactly as they came, with every line ending made visible: CRLF as
␍␊, LF as ␊, CR as ␍, each ending its display line. A BOM shows as ⟨BOM⟩, NUL as ␀,
a tab as ␉. Call `reset()` when a new response starts.
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
  return text.replace(/[\u0000-\u001F\u007F\u0080-\u009F\uFEFF]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code === 0xfeff) return palette.magenta('\u27E8BOM\u27E9');
    if (code < 0x20) return palette.magenta(String.fromCharCode(0x2400 + code));
    if (code === 0x7f) return palette.magenta('\u2421');
    return palette.magenta(`\\x${code.toString(16)}`);
  });
}
