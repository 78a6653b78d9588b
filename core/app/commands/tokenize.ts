import type { Result } from '../result.js';

/*
A shell-like tokenizer, written by hand: it is small, and the console needs exact
error columns and word spans (Tab completion replaces the word under the cursor),
which shell-word libraries do not report.

Rules: spaces and tabs (and CR, LF, VT, FF) separate words. "Double" and 'single'
quotes group; adjacent pieces join (`--data="two words"` is one word). Outside
quotes and inside double quotes a backslash escapes \" \' \\ \n \t \r and `\ `;
any other backslash stays as it is (so `C:\data` survives). Inside single quotes
nothing is special. An apostrophe between two letters (`it's`) is data when no
closing quote pairs with it (an even number of ' follow), so plain words need no
quoting. Every other character, control or not, is data.
*/

const LETTER = /[\p{L}\p{N}]/u;

/** `it's`, `don't`: a ' between letters that no later ' would close. */
function isApostrophe(line: string, i: number): boolean {
  if (!LETTER.test(line.charAt(i - 1)) || !LETTER.test(line.charAt(i + 1))) return false;
  let later = 0;
  for (let j = line.indexOf("'", i + 1); j >= 0; j = line.indexOf("'", j + 1)) later += 1;
  return later % 2 === 0;
}

interface Token {
  /** The word with quotes and escapes resolved. */
  readonly text: string;
  /** Index in the line of the word's first character (its quote, if quoted). */
  readonly start: number;
  /** Index just past the word's last character. */
  readonly end: number;
}

/** The words; a failure (an unclosed quote) keeps the words so far, the last one the unclosed quoted word. */
export type TokenizeResult = Result<{ tokens: readonly Token[] }, { tokens: readonly Token[] }>;

const SEPARATORS = new Set([' ', '\t', '\n', '\r', '\v', '\f']);

const ESCAPES = new Map([
  ['"', '"'],
  ["'", "'"],
  ['\\', '\\'],
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  [' ', ' '],
]);

/** Split a console line into words; never throws. */
export function tokenize(line: string): TokenizeResult {
  const tokens: Token[] = [];
  let text = '';
  let start = -1; // -1: between words
  let quote: '"' | "'" | undefined;
  let quoteStart = 0;

  const endWord = (end: number): void => {
    if (start >= 0) tokens.push({ text, start, end });
    text = '';
    start = -1;
  };

  let i = 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else text += ch;
      i += 1;
      continue;
    }
    if (ch === '\\') {
      if (start < 0) start = i;
      const escaped = ESCAPES.get(line.charAt(i + 1));
      text += escaped ?? '\\';
      i += escaped === undefined ? 1 : 2;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else text += ch;
      i += 1;
      continue;
    }
    if (SEPARATORS.has(ch)) {
      endWord(i);
      i += 1;
      continue;
    }
    if (start < 0) start = i;
    if (ch === "'" && isApostrophe(line, i)) {
      text += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      quoteStart = i;
    } else {
      text += ch;
    }
    i += 1;
  }
  endWord(line.length);

  if (quote === undefined) return { ok: true, tokens };
  const fix =
    quote === '"'
      ? 'add a closing ", or write \\" for a literal quote'
      : `add a closing ', or write \\' outside quotes for a literal quote`;
  return {
    ok: false,
    error: `unclosed ${quote} quote starting at column ${quoteStart + 1}: ${fix}`,
    tokens,
  };
}
