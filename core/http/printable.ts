import { showLine } from '../terminal/terminal-text.js';

/**
Text from a request (a Last-Event-ID, a user agent, a path) made safe to keep and to
show in a terminal: cut to `max` columns, then control characters and bidi controls
escaped (see core/terminal/terminal-text.ts, the one place that decides how), so a
client cannot move the console's cursor, clear its screen or reorder its text.
*/
export function printable(text: string, max = 256): string {
  return showLine(text, max);
}
