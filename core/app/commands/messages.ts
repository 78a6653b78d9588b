import { showLine } from '../../terminal/terminal-text.js';

/*
Helpers that keep error messages to one readable line whatever the user typed:
long input is cut and control characters are shown as escapes, by the one
terminal-safety module.
*/

const SHOWN_LIMIT = 60;
const ONE_LINE_LIMIT = 240;

/** A word the user typed, for an error message: quoted, visible, at most 60 columns. */
export function shown(word: string): string {
  return `"${showLine(word, SHOWN_LIMIT).replace(/"/g, '\\"')}"`;
}

/** Any text (such as a JSON.parse message) made into one visible line of bounded length. */
export function oneLine(text: string): string {
  return showLine(text, ONE_LINE_LIMIT);
}
