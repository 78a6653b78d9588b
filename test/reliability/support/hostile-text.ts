/**
One corpus of hostile text, run against every output that writes to a terminal (the
TUI, line mode human and --json, `connect` human, --raw and --json), and the check
that none of it reached the output raw.
*/

/** Texts a server or a client may send; none contains CR or LF (each can be one SSE field). */
export const HOSTILE_TEXTS: readonly string[] = [
  '\u001b[2J\u001b[3J\u001b[H', // clear screen and scrollback, cursor home
  '\u001b]52;c;cHduZWQ=\u0007', // OSC 52: write "pwned" to the clipboard
  '\u001b]0;pwned title\u0007', // OSC 0: set the window title
  '\u001b]8;;https://evil.example/\u001b\\click me\u001b]8;;\u001b\\', // OSC 8 hyperlink
  '\u001b[31mred\u001b[0m \u001b[1A\u001b[2K', // colour, cursor up, erase line
  '\u009b2J\u009d0;c1 title\u009c', // 8-bit CSI and OSC (C1)
  '\u0085next line\u008dreverse index', // C1 NEL, RI
  'tick\u202e', // an event name ending in RIGHT-TO-LEFT OVERRIDE
  '\u202aLRE\u202bRLE\u202cPDF\u202dLRO\u202eRLO', // every embedding and override
  '\u2066LRI\u2067RLI\u2068FSI\u2069PDI', // every isolate
  '\u200eLRM\u200fRLM\u061cALM',
  'line\u2028separator\u2029paragraph',
  '\u0000nul\u0007bel\u0008bs\u000bvt\u000cff\u007fdel\u001bsolo-esc',
];

/** Characters that must never reach a terminal raw (ESC included: run the outputs without colour). */
const UNSAFE_OUTPUT =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Each unsafe character found in `output`, with some context, for a readable failure. */
export function unsafeCharacters(output: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(UNSAFE_OUTPUT.source, 'g');
  for (const match of output.matchAll(pattern)) {
    const at = match.index;
    found.push(
      `U+${match[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(output.slice(Math.max(0, at - 20), at + 20))}`,
    );
    if (found.length >= 10) break;
  }
  return found;
}

/** One event stream body carrying every hostile text as an event name, id, data, comment and unknown field. */
export function hostileEventStream(): string {
  return HOSTILE_TEXTS.map(
    (text, index) =>
      `: ${text}\n${text}: unknown field\nretry: ${text}\nevent: ${text}\nid: ${text}\ndata: ${text}\ndata: #${index}\n\n`,
  ).join('');
}
