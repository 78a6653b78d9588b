import type { Completion } from '../console/types.js';
import { findFlag, looksLikeFlag } from './args.js';
import { MAX_LINE_LENGTH } from './parse.js';
import { quoteWord } from './quote.js';
import type { CommandSpec } from './spec.js';
import type { CommandTable } from './table.js';
import { tokenize } from './tokenize.js';

/*
Tab completion from a command table: command names first, then a command's
flags after "-", its subcommand and choice words, and page names for `open`.
*/

interface Position {
  /** Words after a raw positional (`every`'s COMMAND), to complete as a command. */
  readonly inner?: readonly string[];
  /** How many positionals come before the word being completed. */
  readonly positional: number;
  readonly expectingValue: boolean;
  readonly flagsEnded: boolean;
  readonly usedFlags: ReadonlySet<string>;
}

/** Where the word being completed sits among the command's arguments. */
function locate(spec: CommandSpec, words: readonly string[]): Position {
  const rawFrom = spec.positionals.findIndex((p) => p.raw === true);
  const usedFlags = new Set<string>();
  let positional = 0;
  let expectingValue = false;
  let flagsEnded = false;
  for (const [index, word] of words.entries()) {
    if (positional === rawFrom) return { inner: words.slice(index), positional, expectingValue, flagsEnded, usedFlags };
    if (expectingValue) {
      expectingValue = false;
    } else if (!flagsEnded && word === '--') {
      flagsEnded = true;
    } else if (!flagsEnded && looksLikeFlag(word)) {
      const equals = word.indexOf('=');
      const flag = findFlag(spec, equals < 0 ? word : word.slice(0, equals));
      if (flag !== undefined) usedFlags.add(flag.name);
      expectingValue = flag?.value !== undefined && equals < 0;
    } else {
      positional += 1;
    }
  }
  if (positional === rawFrom) return { inner: [], positional, expectingValue, flagsEnded, usedFlags };
  return { positional, expectingValue, flagsEnded, usedFlags };
}

const repeatableWords = ({ commands, notRepeatable }: CommandTable): string[] =>
  commands.filter((spec) => !notRepeatable.includes(spec.name)).map((spec) => spec.name);

function flagWords(spec: CommandSpec, used: ReadonlySet<string>): string[] {
  const open = spec.flags.filter((flag) => flag.repeatable === true || !used.has(flag.name));
  return [...open.map((flag) => `--${flag.name}`), '--help'];
}

function argumentWords(table: CommandTable, spec: CommandSpec, index: number, pageNames: readonly string[]): string[] {
  const positional = spec.positionals[index] ?? spec.positionals.find((p) => p.variadic === true);
  const words = index === 0 ? (spec.subcommands ?? []).map((sub) => sub.name) : [];
  words.push(...(positional?.choices ?? []));
  if (positional?.completes === 'commands')
    words.push(...(positional.raw === true ? repeatableWords(table) : table.commandWords()));
  if (positional?.completes === 'pages') words.push(...pageNames);
  return words;
}

/** Words that may stand where `prefix` is, after the complete words `done`. */
function wordsFor(
  table: CommandTable,
  done: readonly string[],
  prefix: string,
  pageNames: readonly string[],
  jobOnly: boolean,
): string[] {
  const [first, ...rest] = done;
  if (first === undefined) return jobOnly ? repeatableWords(table) : table.commandWords();
  const spec = table.findCommand(first);
  if (spec === undefined) return [];
  const position = locate(spec, rest);
  if (position.inner !== undefined) {
    return position.inner.length === 0
      ? repeatableWords(table)
      : wordsFor(table, position.inner, prefix, pageNames, true);
  }
  if (position.expectingValue) return [];
  if (prefix.startsWith('-') && !position.flagsEnded) return flagWords(spec, position.usedFlags);
  return argumentWords(table, spec, position.positional, pageNames);
}

/** The line up to the cursor as Tab reads it: the words before, and the word being typed. */
export interface TypedWords {
  /** Where the cursor is (clamped to the line). */
  readonly end: number;
  /** The whole words before the one being typed. */
  readonly done: readonly string[];
  /** The word being typed ('' after a space). */
  readonly prefix: string;
  /** Where that word starts: what a candidate replaces. */
  readonly from: number;
  /** The line before the cursor is longer than any command may be: nothing is offered. */
  readonly tooLong: boolean;
}

/**
The words before `cursor`, and the one being typed. An unclosed quote still has its
words: the last one is being typed.
*/
export function typedWords(line: string, cursor = line.length): TypedWords {
  const end = Math.max(0, Math.min(Number.isInteger(cursor) ? cursor : line.length, line.length));
  const before = line.slice(0, end);
  if (before.length > MAX_LINE_LENGTH) return { end, done: [], prefix: '', from: end, tooLong: true };
  const { tokens } = tokenize(before);
  const last = tokens.at(-1);
  const current = last !== undefined && last.end === before.length ? last : undefined;
  const done = (current === undefined ? tokens : tokens.slice(0, -1)).map((token) => token.text);
  return { end, done, prefix: current?.text ?? '', from: current?.start ?? end, tooLong: false };
}

/** Candidates for `prefix` among `words`: those that start with it, once each, sorted, quoted as typed. */
export function offerWords(from: number, prefix: string, words: readonly string[]): Completion {
  return { from, candidates: [...new Set(words.filter((word) => word.startsWith(prefix)))].sort().map(quoteWord) };
}

/**
Completions for the word that ends at `cursor`: `from` is where that word starts
and `candidates` (sorted) may replace line.slice(from, cursor). Never throws.
*/
export function complete(
  table: CommandTable,
  line: string,
  cursor = line.length,
  pageNames: readonly string[] = [],
): Completion {
  const typed = typedWords(line, cursor);
  if (typed.tooLong) return { from: typed.end, candidates: [] };
  try {
    return offerWords(typed.from, typed.prefix, wordsFor(table, typed.done, typed.prefix, pageNames, false));
  } catch {
    return { from: typed.end, candidates: [] };
  }
}
