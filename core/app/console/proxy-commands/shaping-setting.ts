import { shown } from '../../commands/messages.js';
import { faultError } from './fault-target.js';
import type { FaultParse } from './proxy-module.js';

/**
The words of a proxy-wide fault (`buffer 4096`, `idle-cut 5s`, `limit 2`): one value,
or `off` (a value of 0 means off too). `value` reads the word or says what was wrong.
*/
export function parseSetting<N extends string>(
  name: N,
  words: readonly string[],
  usage: string,
  value: (word: string) => { ok: true; value: number } | { ok: false; error: string },
): FaultParse<{ readonly name: N; readonly value: number }> {
  const [, first, second] = words;
  if (first === undefined) return faultError(name, `missing a value or off; usage: ${usage}`);
  if (second !== undefined) return faultError(name, `unexpected ${shown(second)}; usage: ${usage}`);
  if (first === 'off' || first === '0') return { ok: true, command: { name, value: 0 } };
  const read = value(first);
  return read.ok
    ? { ok: true, command: { name, value: read.value } }
    : faultError(name, `${read.error}; usage: ${usage}`);
}

/** A whole number from 1 to `max`, or what was wrong. */
export function wholeNumber(
  word: string,
  what: string,
  max: number,
): { ok: true; value: number } | { ok: false; error: string } {
  const number = /^\d{1,9}$/.test(word) ? Number(word) : Number.NaN;
  return number >= 1 && number <= max
    ? { ok: true, value: number }
    : { ok: false, error: `${what} must be a whole number from 1 to ${max} (or off), got ${shown(word)}` };
}
