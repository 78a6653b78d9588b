import type { CommandModule } from '../console/commands/command-module.js';
import type { CommandSpec } from './spec.js';

/*
A command language's table, derived from the list of command modules it is given
(the console's is core/app/console/commands/list.ts). The parser, `help`, Tab
completion, the command reference (npm run docs) and the controller's dispatch all read it,
so they cannot disagree.
*/

/** A list of command modules, each typed with its own command. */
export type CommandModules = readonly CommandModule<{ readonly name: string }>[];

export interface CommandTable {
  /** Every command's spec, in list order. */
  readonly commands: readonly CommandSpec[];
  /** Commands `every` refuses to repeat: they change the session, not the stream. */
  readonly notRepeatable: readonly string[];
  /** The module that builds and runs commands named `name` (`respond-reset` is the respond module's). */
  readonly moduleFor: (name: string) => CommandModule | undefined;
  /** The spec for a typed command word or alias (`exit` finds `quit`). */
  readonly findCommand: (word: string) => CommandSpec | undefined;
  /** Every word that starts a command, aliases included, in table order. */
  readonly commandWords: () => string[];
}

export function commandTable(list: CommandModules): CommandTable {
  // Each module is typed with its own command; the list is read as modules of the
  // whole union, which holds because `moduleFor` only hands a module the commands it builds.
  const modules = list as readonly CommandModule[];
  const notRepeatable = modules.filter((module) => !module.repeatable).map((module) => module.spec.name);
  const commands: readonly CommandSpec[] = modules.map(({ spec }) => ({
    ...spec,
    explanation: typeof spec.explanation === 'function' ? spec.explanation({ notRepeatable }) : spec.explanation,
  }));
  return {
    commands,
    notRepeatable,
    moduleFor: (name) =>
      modules.find((module) => module.spec.name === name || (module.alsoBuilds ?? []).includes(name)),
    findCommand: (word) => commands.find((spec) => spec.name === word || (spec.aliases ?? []).includes(word)),
    commandWords: () => commands.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]),
  };
}
