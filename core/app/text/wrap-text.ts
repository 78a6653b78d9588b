import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
Text laid out in rows of at most `width` display columns, for the places that must
show every word (a command to type, a command's description): broken at spaces, a
word wider than the row broken inside. A row is never wider than `width` (at least 1).
*/
export function wrapText(text: string, width: number): string[] {
  const columns = Math.max(1, Math.floor(width));
  if (stringWidth(text) <= columns) return [text];
  return wrapAnsi(text, columns, { hard: true, trim: true }).split('\n');
}

/**
`text` in rows of `width` columns, the first after `first` and the rest after as many
spaces: a hanging indent, so wrapped words stay in their column.
*/
export function wrapHanging(first: string, text: string, width: number): string[] {
  const indent = stringWidth(first);
  const pad = ' '.repeat(indent);
  return wrapText(text, width - indent).map((row, index) => `${index === 0 ? first : pad}${row}`);
}
