import { shown } from './messages.js';
import { flagLabel } from './spec.js';
import type { CommandSpec, FlagSpec } from './spec.js';
import { closestWord } from './suggest.js';
import type { Result } from '../result.js';

/*
Splits a command's words into flags and positionals against its table entry.
Hand-written rather than node:util parseArgs: that throws multi-line errors that
cannot list a command's own flags, and cannot hand `every` the rest of the line
untouched after its DURATION.
*/

/** A value and the index of the word it came from (to keep flags and words in order). */
export interface Located {
  readonly value: string;
  readonly at: number;
}

export interface ParsedArgs {
  readonly positionals: readonly Located[];
  /** Long flag name → its values in order; a switch has one '' per use. */
  readonly flags: ReadonlyMap<string, readonly Located[]>;
  /** `--help` or `-h` was given. */
  readonly wantsHelp: boolean;
}

export type SplitResult = Result<{ args: ParsedArgs }>;

/** `--x`, `-x`: a flag. A lone `-` and negative numbers (`-5`) are plain words. */
export function looksLikeFlag(word: string): boolean {
  return word.length > 1 && word.startsWith('-') && !/^-\d/.test(word);
}

export function findFlag(spec: CommandSpec, written: string): FlagSpec | undefined {
  return spec.flags.find((flag) =>
    written.startsWith('--') ? `--${flag.name}` === written : flag.short !== undefined && `-${flag.short}` === written,
  );
}

/** `send: message — usage: send …`: the one-line error every command mistake becomes. */
export function usageError(spec: CommandSpec, message: string, usage = spec.usage): string {
  return `${spec.name}: ${message} — usage: ${usage}`;
}

function unknownFlag(spec: CommandSpec, written: string): string {
  const takesText = spec.positionals.some((p) => p.variadic === true && p.raw !== true);
  const asText = takesText ? '; for text that starts with "-", put -- before it' : '';
  if (spec.flags.length === 0) return usageError(spec, `takes no flags, but got ${shown(written)}${asText}`);
  const guess = closestWord(
    written.replace(/^-+/, ''),
    spec.flags.map((flag) => flag.name),
  );
  const hint = guess === undefined ? '' : ` (did you mean --${guess}?)`;
  const valid = spec.flags.map(flagLabel).join(', ');
  return `${spec.name}: unknown flag ${shown(written)}${hint}; its flags are ${valid}${guess === undefined ? asText : ''}`;
}

function countError(spec: CommandSpec, positionals: readonly Located[]): string | undefined {
  const required = spec.positionals.filter((p) => p.optional !== true);
  const missing = required[positionals.length];
  if (missing !== undefined) return usageError(spec, `missing ${missing.name} (${missing.description})`);
  const variadic = spec.positionals.some((p) => p.variadic === true);
  const extra = positionals[spec.positionals.length];
  if (!variadic && extra !== undefined) {
    const expected = spec.positionals.length === 0 ? 'takes no arguments' : 'too many arguments';
    return usageError(spec, `${expected}; ${shown(extra.value)} is extra`);
  }
  return undefined;
}

export function splitArgs(spec: CommandSpec, words: readonly string[]): SplitResult {
  const positionals: Located[] = [];
  const flags = new Map<string, Located[]>();
  const rawFrom = spec.positionals.findIndex((p) => p.raw === true);
  let flagsEnded = false;
  let wantsHelp = false;

  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (positionals.length === rawFrom) {
      words.slice(i).forEach((value, offset) => positionals.push({ value, at: i + offset }));
      break;
    }
    if (!flagsEnded && word === '--') {
      flagsEnded = true;
      continue;
    }
    if (flagsEnded || !looksLikeFlag(word)) {
      positionals.push({ value: word, at: i });
      continue;
    }
    if (word === '--help' || word === '-h') {
      wantsHelp = true;
      continue;
    }
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const written = equals < 0 ? word : word.slice(0, equals);
    const inline = equals < 0 ? undefined : word.slice(equals + 1);
    const flag = findFlag(spec, written);
    if (flag === undefined) return { ok: false, error: unknownFlag(spec, written) };

    let value = '';
    if (flag.value === undefined) {
      if (inline !== undefined && flag.inlineValue !== undefined) {
        if (inline === '') {
          return {
            ok: false,
            error: usageError(
              spec,
              `${written}= needs a value (${written}=${flag.inlineValue}); write ${written} alone for the default`,
            ),
          };
        }
        value = inline;
      } else if (inline !== undefined) {
        return {
          ok: false,
          error: usageError(
            spec,
            `${written} is a switch and takes no value; write ${written} alone, not ${shown(word)}`,
          ),
        };
      }
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = words[i + 1];
      if (next === undefined) {
        return { ok: false, error: usageError(spec, `${written} needs a value (${flag.value})`) };
      }
      if (looksLikeFlag(next)) {
        return {
          ok: false,
          error: usageError(
            spec,
            `${written} needs a value (${flag.value}) but the next word is the flag ${shown(next)}; for a value that starts with "-", write ${shown(`--${flag.name}=${next}`)}`,
          ),
        };
      }
      value = next;
      i += 1;
    }
    const previous = flags.get(flag.name);
    if (previous === undefined) {
      flags.set(flag.name, [{ value, at: i }]);
    } else if (flag.value !== undefined && flag.repeatable !== true) {
      return { ok: false, error: usageError(spec, `--${flag.name} is given twice; give it once`) };
    } else {
      previous.push({ value, at: i });
    }
  }

  if (wantsHelp) return { ok: true, args: { positionals, flags, wantsHelp } };
  const error = countError(spec, positionals);
  return error === undefined ? { ok: true, args: { positionals, flags, wantsHelp } } : { ok: false, error };
}
