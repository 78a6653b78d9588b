import { splitArgs } from './args.js';
import { oneLine, shown } from './messages.js';
import { joinWords } from './quote.js';
import { closestWord } from './suggest.js';
import type { CommandLanguage } from './language.js';
import type { CommandTable } from './table.js';
import { tokenize } from './tokenize.js';
import type { ParseResult } from './types.js';
import { errorMessage } from '../console/error-message.js';

/** The longest line (or total of tokens) the parser reads, in UTF-16 code units. */
export const MAX_LINE_LENGTH = 64 * 1024;

const BLANK = /^[ \t\n\r\v\f]*$/;
const fail = (error: string): ParseResult => ({ ok: false, error });

/** True for a line with nothing but spaces and tabs (the prompt can skip it quietly). */
export function isBlank(line: string): boolean {
  return typeof line !== 'string' || BLANK.test(line);
}

function tooLong(length: number): ParseResult {
  return fail(`the line is too long (${length} characters); the limit is ${MAX_LINE_LENGTH}`);
}

export interface Parser {
  readonly parseCommandLine: (line: string) => ParseResult;
  readonly parseTokens: (tokens: readonly string[]) => ParseResult;
}

function guarded(parse: () => ParseResult): ParseResult {
  try {
    return parse();
  } catch (error) {
    // Nothing typed may crash the console; a parser bug becomes one error line.
    return fail(`could not parse the line: ${oneLine(errorMessage(error))}`);
  }
}

/** Checked at run time: jobs and JavaScript callers hand in what the types cannot promise. */
function isWordList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((token) => typeof token === 'string');
}

/** The parser of `table`'s commands; a builder gets `language` (the whole language, built after this). */
export function createParser(table: CommandTable, language: () => CommandLanguage): Parser {
  const { commandWords, findCommand, moduleFor } = table;

  function unknownCommand(word: string): ParseResult {
    const guess = closestWord(word, commandWords());
    const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
    return fail(`unknown command ${shown(word)}${hint}; type help to list the commands`);
  }

  /** Parse words; `sourceFrom(i)` gives the line as typed from word i on. */
  function parseWords(words: readonly string[], sourceFrom: (index: number) => string): ParseResult {
    const [first = '', ...rest] = words;
    const spec = findCommand(first);
    if (spec === undefined) return unknownCommand(first);
    const split = splitArgs(spec, rest);
    if (!split.ok) return split;
    if (split.args.wantsHelp) return { ok: true, command: { name: 'help', topic: spec.name } };
    const module = moduleFor(spec.name);
    if (module === undefined) return unknownCommand(first);
    return module.build(split.args, {
      spec,
      sourceFrom: (at) => sourceFrom(at + 1),
      language: language(),
    });
  }

  function parseCommandLine(line: string): ParseResult {
    return guarded(() => {
      if (typeof line !== 'string') return fail('a command line must be text');
      if (line.length > MAX_LINE_LENGTH) return tooLong(line.length);
      if (isBlank(line)) return fail('type a command, or help');
      const tokenized = tokenize(line);
      if (!tokenized.ok) return fail(tokenized.error);
      const { tokens } = tokenized;
      return parseWords(
        tokens.map((token) => token.text),
        (index) => line.slice(tokens[index]?.start ?? line.length).trimEnd(),
      );
    });
  }

  function parseTokens(tokens: readonly string[]): ParseResult {
    return guarded(() => {
      if (!isWordList(tokens)) return fail('a command must be a list of words');
      const length = tokens.reduce((sum, token) => sum + token.length + 1, 0);
      if (length > MAX_LINE_LENGTH) return tooLong(length);
      if (tokens.length === 0) return fail('type a command, or help');
      return parseWords(tokens, (index) => joinWords(tokens.slice(index)));
    });
  }

  return { parseCommandLine, parseTokens };
}
