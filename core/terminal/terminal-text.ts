/**
`sse-console/terminal`: text a peer sent (an event's data, a user agent, a header)
made safe to print on a terminal, by the rules the console itself shows it with.

```ts
import { showLine } from 'sse-console/terminal';
console.log(showLine(event.data, 200)); // no escape sequence reaches the terminal
```

@packageDocumentation
*/

import { createRequire } from 'node:module';

/**
string-width, loaded the first time text that is not printable ASCII is measured.
Loading it builds an Intl.Segmenter, which loads ICU's segmentation data: some 25 ms,
which every `--help`, `--version` and line-mode start would pay for nothing (their
text is ASCII). A synchronous require of the ES module (Node >= 22.12) keeps the
measuring functions synchronous; the require function itself is made then too
(each one is a CommonJS module, ~0.3 ms).
*/
let measureWidth: ((text: string) => number) | undefined;
function stringWidth(text: string): number {
  measureWidth ??= (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default;
  return measureWidth(text);
}

/**
Terminal safety, in one place. Every writer to a terminal (the TUI's log and panes,
line mode, `connect` in all its outputs, the tour, errors and warnings) shows text it
did not write itself through these functions, in this order: cut to a display budget
first, then escape. Cutting first keeps the work and the output bounded whatever
arrives (a 70 MB field costs the same as a 1 KB one); escaping keeps the terminal
in the console's hands: no C0/C1 control, ESC sequence (CSI, OSC 8 links, OSC 52
clipboard writes, OSC 0 titles, clear-screen), line separator or bidi control
reaches it raw.

One function per purpose:
- `cutToWidth` cuts text to a number of terminal columns, counting each unsafe
  character as the width of its escape, and says how much was cut;
- `showLine` / `showBlock` cut and then escape (one line / lines kept apart);
- `fitColumns` pads or cuts already safe text to exactly a column count (table cells);
- `stripUnsafe` removes escape sequences and controls instead of showing them (input);
- `terminalJson` is JSON.stringify with every character that is unsafe on a
  terminal written as `\uXXXX` (still valid JSON, parsing to the same strings).
*/

/** C0, DEL, C1 (8-bit CSI/OSC included), the Arabic letter mark, LRM/RLM, LS/PS, bidi embeddings, overrides and isolates. */
const unsafeSource = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const unsafe = new RegExp(`[${unsafeSource}]`);
const unsafeAll = new RegExp(`[${unsafeSource}]`, 'g');
const unsafeExceptLineBreaks =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw that a terminal would act on (it escapes C0 itself). */
const unsafeInJson = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const printableAscii = /^[\u0020-\u007e]*$/;

/** Columns of one log line in the TUI and line mode (plus the cut marker). */
export const LINE_COLUMNS = 1000;
/** Columns of one field a server chose (an event name, an id, a header value). */
export const FIELD_COLUMNS = 200;

const pictures: Readonly<Record<string, string>> = { '\r': '\u240d', '\n': '\u240a', '\t': '\u2409' };

/** How one unsafe character is shown: ␍ ␊ ␉ for CR, LF and tab, `\x1b` for other C0/C1, `\u{202e}` above. */
function escapeChar(char: string): string {
  const picture = pictures[char];
  if (picture !== undefined) return picture;
  const code = char.charCodeAt(0);
  return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Unsafe characters as their escapes; nothing is cut here (callers cut first). */
function escapeAll(text: string, pattern: RegExp): string {
  return text.replace(pattern, escapeChar);
}

let graphemeSegmenter: Intl.Segmenter | undefined;
/** Created on first use, for the same reason as string-width above. */
function graphemes(): Intl.Segmenter {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemeSegmenter;
}

/** Columns a grapheme takes once escaped. */
function graphemeColumns(grapheme: string): number {
  if (grapheme.length === 1) {
    const code = grapheme.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f) return 1;
  }
  if (!unsafe.test(grapheme)) return stringWidth(grapheme);
  let columns = 0;
  for (const char of grapheme) columns += unsafe.test(char) ? escapeChar(char).length : stringWidth(char);
  return columns;
}

/** The marker after cut text: how many characters (UTF-16 units) are not shown. */
function cutMarker(omitted: number): string {
  return `\u2026 (${omitted} more characters)`;
}

/**
`text` cut to at most `maxColumns` terminal columns, each unsafe character counted as
wide as its escape, so the escaped result stays within the budget (plus the marker).
Looks at no more than a few times `maxColumns` characters of the input, however long
it is. Returns the text itself when it fits.
*/
export function cutToWidth(text: string, maxColumns: number): string {
  if (text.length <= maxColumns && printableAscii.test(text)) return text;
  // No character is wider than two columns per UTF-16 unit: short safe text fits as it is
  // (this keeps the common non-ASCII log line off the grapheme segmenter).
  if (text.length * 2 <= maxColumns && !unsafe.test(text)) return text;
  // A column is at least one UTF-16 unit except for zero-width marks; this bounds the
  // scan even for a string of nothing but combining marks.
  const scanLimit = maxColumns * 4 + 16;
  let head = text.length > scanLimit ? text.slice(0, scanLimit) : text;
  if (head.length < text.length && /[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  let columns = 0;
  let end = 0;
  for (const { segment, index } of graphemes().segment(head)) {
    const width = graphemeColumns(segment);
    if (columns + width > maxColumns) {
      end = index;
      return `${text.slice(0, end)}${cutMarker(text.length - end)}`;
    }
    columns += width;
    end = index + segment.length;
  }
  return end >= text.length ? text : `${text.slice(0, end)}${cutMarker(text.length - end)}`;
}

/** One line for a terminal: cut to `maxColumns`, then every unsafe character escaped (line breaks included). */
export function showLine(text: string, maxColumns: number = LINE_COLUMNS): string {
  return escapeAll(cutToWidth(text, maxColumns), unsafeAll);
}

/** Like `showLine`, but LF and tab stay (for data shown as indented lines); CR and the rest are escaped. */
export function showBlock(text: string, maxColumns: number): string {
  return escapeAll(cutToWidth(text, maxColumns), unsafeExceptLineBreaks);
}

/**
Safe text padded or cut (with "…") to exactly `width` columns: a table cell. Give it
text from `showLine` (already cut and escaped), so this only measures a short string.
*/
export function fitColumns(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  let shown = text;
  let columns = printableAscii.test(text) ? text.length : stringWidth(text);
  if (columns > width) {
    shown = '';
    columns = 0;
    for (const { segment } of graphemes().segment(text)) {
      const segmentWidth = stringWidth(segment);
      if (columns + segmentWidth > width - 1) break;
      shown += segment;
      columns += segmentWidth;
    }
    shown += '\u2026';
    columns += 1;
  }
  const padding = ' '.repeat(Math.max(0, width - columns));
  return align === 'right' ? `${padding}${shown}` : `${shown}${padding}`;
}

// ESC sequences as ECMA-48 defines them: CSI … final, OSC/DCS/SOS/PM/APC … ST or BEL, and two-byte escapes.
const escapeSequences =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]P^_X]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;

/**
`text` with escape sequences removed whole and every other unsafe character dropped:
for text that becomes input (a paste into the prompt), where an escape shown as
`\x1b` would only be noise. Nothing is cut: the caller bounds its input.
*/
export function stripUnsafe(text: string): string {
  return text.replace(escapeSequences, '').replace(unsafeAll, '');
}

/**
JSON for a terminal or a pipe that may end in one: JSON.stringify escapes C0 controls
but leaves DEL, C1 (0x80–0x9F, which include the 8-bit CSI and OSC), line separators
and bidi controls raw; those are written as `\uXXXX`, so the line is still valid JSON
and parses to the same strings. Callers bound the strings they put in `value`.
*/
export function terminalJson(value: unknown): string {
  return JSON.stringify(value).replace(
    unsafeInJson,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
What one `--json` record keeps of a string a server chose: an event's data up to
16 Mi characters, a name, id or comment up to 1 Mi. A record is then at most ~100 MB
even when every character is a control written as `\uXXXX`, so it can always be
written (JSON.stringify of 95 M controls passes V8's longest string and throws).
*/
export const JSON_DATA_CHARS = 16 * 1024 * 1024;
/** What one `--json` record keeps of an event name, id or comment (see `JSON_DATA_CHARS`). */
export const JSON_FIELD_CHARS = 1024 * 1024;

/**
A string kept for a machine-readable record, cut to `maxLength` UTF-16 units (never
inside a surrogate pair); `omitted` says how many were left out.
*/
export function clipText(text: string, maxLength: number): { readonly text: string; readonly omitted: number } {
  if (text.length <= maxLength) return { text, omitted: 0 };
  let end = maxLength;
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end -= 1;
  return { text: text.slice(0, end), omitted: text.length - end };
}
