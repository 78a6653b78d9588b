import type { CommandModule } from '../console/commands/command-module.js';
import { COMMAND_MODULES } from '../console/commands/list.js';
import type { CommandSpec } from './spec.js';
import type { Command } from './types.js';

/*
The console's command language as data, derived from the list of command modules
(core/app/console/commands/list.ts). The parser, `help`, Tab completion, the README
command reference and the controller's dispatch all read it, so they cannot disagree.
*/

/**
The modules as one type: each runs the commands it builds. (Each module is typed
with its own command; the list is read here as modules of the whole union, which
holds because `moduleFor` only hands a module the commands it builds.)
*/
const MODULES = COMMAND_MODULES as readonly CommandModule<{ readonly name: string }>[] as readonly CommandModule[];

/** Commands `every` refuses to repeat: they change the session, not the stream. */
export const NOT_REPEATABLE: readonly string[] = MODULES.filter((module) => !module.repeatable).map(
  (module) => module.spec.name,
);

/** Every command's spec, in list order. */
export const COMMANDS: readonly CommandSpec[] = MODULES.map(({ spec }) => ({
  ...spec,
  explanation:
    typeof spec.explanation === 'function' ? spec.explanation({ notRepeatable: NOT_REPEATABLE }) : spec.explanation,
}));

/** The module that builds and runs commands named `name` (`respond-reset` is the respond module's). */
export function moduleFor(name: string): CommandModule | undefined {
  return MODULES.find((module) => module.spec.name === name || (module.alsoBuilds ?? []).includes(name));
}

/** Runs a parsed command with its own module. */
export function runCommand(command: Command, context: Parameters<CommandModule['run']>[1]): void {
  const module = moduleFor(command.name);
  if (module === undefined) throw new Error(`no module runs ${command.name}`);
  module.run(command, context);
}

/** The spec for a typed command word or alias (`exit` finds `quit`). */
export function findCommand(word: string): CommandSpec | undefined {
  return COMMANDS.find((spec) => spec.name === word || (spec.aliases ?? []).includes(word));
}

/** Every word that starts a command, aliases included, in table order. */
export function commandWords(): string[] {
  return COMMANDS.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]);
}
