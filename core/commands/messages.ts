/*
Helpers that keep error messages to one readable line whatever the user typed:
control characters are made visible and long input is cut.
*/

const SHOWN_LIMIT = 60;
const ONE_LINE_LIMIT = 240;

// C0 and C1 controls, DEL and the Unicode line/paragraph separators: none may reach
// the terminal raw from an error message (they break lines or start escape codes).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(text: string): string {
  return text.replace(
    INVISIBLE,
    (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let head = text.slice(0, limit);
  // Do not leave half of a surrogate pair at the cut.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}…`;
}

/** A word the user typed, for an error message: quoted, visible, at most 60 characters. */
export function shown(word: string): string {
  return `"${visible(cut(word, SHOWN_LIMIT)).replace(/"/g, '\\"')}"`;
}

/** Any text (such as a JSON.parse message) made into one visible line of bounded length. */
export function oneLine(text: string): string {
  return cut(visible(text), ONE_LINE_LIMIT);
}
