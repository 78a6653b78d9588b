import { usageError } from './args.js';
import type { Located, ParsedArgs } from './args.js';
import type { CommandSpec } from './spec.js';
import { parseHeader } from './values.js';
import type { ValueResult } from './values.js';
import { channelNameProblem } from '../../index.js';

/*
Reading a command's split arguments: the small accessors every command's builder
shares (flag values, positional words, checked optional values, headers, --channel).
*/

export const flagValues = (args: ParsedArgs, name: string): readonly Located[] => args.flags.get(name) ?? [];
export const flagValue = (args: ParsedArgs, name: string): string | undefined => flagValues(args, name)[0]?.value;
export const hasFlag = (args: ParsedArgs, name: string): boolean => flagValues(args, name).length > 0;
export const word = (args: ParsedArgs, index: number): string | undefined => args.positionals[index]?.value;

/** Check an optional flag's value: undefined when absent, else the checked result. */
export function optional<T>(
  text: string | undefined,
  check: (text: string) => ValueResult<T>,
): ValueResult<T | undefined> {
  return text === undefined ? { ok: true, value: undefined } : check(text);
}

/** Every --header K:V, checked; the error is already a usage line. */
export function headers(args: ParsedArgs, spec: CommandSpec): ValueResult<(readonly [string, string])[]> {
  const list: (readonly [string, string])[] = [];
  for (const { value } of flagValues(args, 'header')) {
    const header = parseHeader(value);
    if (!header.ok) return { ok: false, error: usageError(spec, `--header: ${header.error}`) };
    list.push(header.value);
  }
  return { ok: true, value: list };
}

/** --channel NAME, checked: undefined when absent. */
export function channelFlag(args: ParsedArgs): ValueResult<string | undefined> {
  return optional(flagValue(args, 'channel'), (name) => {
    const problem = channelNameProblem(name);
    return problem === undefined ? { ok: true, value: name } : { ok: false, error: `--channel: ${problem}` };
  });
}
