import type { ParsedArgs } from '../../commands/args.js';
import type { CommandSpec } from '../../commands/spec.js';
import type { CommandLanguage } from '../../commands/language.js';
import type { Command } from '../../commands/types.js';
import type { ConsoleContext } from './console-context.js';
import type { Result } from '../../result.js';

/** A builder's answer: the command, or one line that says what was wrong and the valid form. */
export type BuildResult<C> = Result<{ command: C }>;

export interface BuildContext {
  readonly spec: CommandSpec;
  /** The line as typed from the given argument on (`every` keeps it for `jobs`). */
  readonly sourceFrom: (at: number) => string;
  /** The language being parsed, for `every`'s inner command and what it may repeat. */
  readonly language: CommandLanguage;
}

/** What the whole list knows and one command's help text may quote (`every` names those it cannot repeat). */
interface ListFacts {
  readonly notRepeatable: readonly string[];
}

/**
One console command, whole: its spec (name, flags, help, examples), whether `every`
may repeat it, the builder that turns split arguments into the command, and `run`.
A command language (createCommandLanguage) is built from a list of these: the
console's is list.ts, so adding a command is one file there. This file imports
types only, so a module depends on no language and no list.
*/
export interface CommandModule<C extends { readonly name: string } = Command> {
  readonly spec: Omit<CommandSpec, 'explanation'> & {
    /** Paragraphs for `help COMMAND`; a function when they quote the list (see ListFacts). */
    readonly explanation: readonly string[] | ((facts: ListFacts) => readonly string[]);
  };
  /** `every` may repeat it: it acts on the stream, not on the session (quit, tour, open … may not). */
  readonly repeatable: boolean;
  /** Command names the builder makes besides spec.name (`respond reset` makes `respond-reset`). */
  readonly alsoBuilds?: readonly string[];
  /** Turns the split arguments into the command, checking every value; flag and word counts are already checked. */
  build(args: ParsedArgs, context: BuildContext): BuildResult<C>;
  /** Runs the command in the console; a thrown error becomes one error line. */
  run(command: C, context: ConsoleContext): void;
}

export const done = <C>(command: C): BuildResult<C> => ({ ok: true, command });
export const fail = (error: string): { readonly ok: false; readonly error: string } => ({ ok: false, error });
