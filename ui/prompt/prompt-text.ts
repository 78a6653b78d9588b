import { stripUnsafe } from '../../core/terminal/terminal-text.js';

/**
Small text helpers for the one-line prompt. The cursor is an index into the string
(UTF-16 units) that never rests inside a surrogate pair, so an emoji moves and
deletes as one character.
*/

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The index one character before `index`. */
export function previousBoundary(text: string, index: number): number {
  if (index <= 0) return 0;
  const before = index - 1;
  if (before > 0 && isLowSurrogate(text.charCodeAt(before)) && isHighSurrogate(text.charCodeAt(before - 1))) {
    return before - 1;
  }
  return before;
}

/** The index one character after `index`. */
export function nextBoundary(text: string, index: number): number {
  if (index >= text.length) return text.length;
  if (isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1))) return index + 2;
  return index + 1;
}

/** Where the word before `index` starts (readline's Ctrl+W: spaces, then non-spaces). */
export function wordStartBefore(text: string, index: number): number {
  let start = index;
  while (start > 0 && /\s/.test(text[start - 1] ?? '')) start -= 1;
  while (start > 0 && !/\s/.test(text[start - 1] ?? '')) start -= 1;
  return start;
}

/** The longest prefix every string shares ("" for none). */
export function commonPrefix(values: readonly string[]): string {
  const [first, ...rest] = values;
  if (first === undefined) return '';
  let length = first.length;
  for (const value of rest) {
    let shared = 0;
    while (shared < length && shared < value.length && value[shared] === first[shared]) shared += 1;
    length = shared;
  }
  // Never end a prefix between the halves of a surrogate pair.
  if (length > 0 && isHighSurrogate(first.charCodeAt(length - 1))) length -= 1;
  return first.slice(0, length);
}

/**
Text that may go into the prompt: tabs become spaces and other control characters
(escape sequences a paste may carry, NUL, DEL, bidi controls) are dropped by the
terminal-safety module, so what is shown is what runs. Line breaks are handled by the caller before this.
*/
export function insertableText(text: string): string {
  return stripUnsafe(text.replace(/\t/g, ' '));
}
