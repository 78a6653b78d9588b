import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
A log line as terminal rows: the first starts with its time and a space, every
further row with a hanging indent as wide, so the text wraps inside the width left of
the timestamp and no row is wider than the terminal. Left to the terminal, a long
line would restart at column 0 and the space after the time could fall at the break
(`09:28:16textarea …`).
*/

/** Display columns of `HH:MM:SS `. */
export const timeColumns = 9;

/** Narrowest text column, so a tiny terminal still shows a word per row rather than a letter. */
const narrowestText = 8;

export interface LogRow {
  /** The time and its space on the first row, spaces on the rest. */
  readonly prefix: string;
  readonly text: string;
}

/** `text` (already made visible, possibly several lines) in rows of at most `width` columns after the prefix. */
export function logRows(time: string, text: string, width: number): LogRow[] {
  const textWidth = Math.max(narrowestText, width - timeColumns);
  const indent = ' '.repeat(timeColumns);
  const rows: LogRow[] = [];
  for (const line of text.split('\n')) {
    const wrapped =
      stringWidth(line) <= textWidth ? [line] : wrapAnsi(line, textWidth, { hard: true, trim: false }).split('\n');
    wrapped.forEach((piece, index) => {
      // A break at a space leaves it at the start of the next row: the indent already separates.
      const shown = (index === 0 ? piece : piece.trimStart()).trimEnd();
      rows.push({ prefix: rows.length === 0 ? `${time} ` : indent, text: shown });
    });
  }
  return rows;
}
