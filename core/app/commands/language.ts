import type { Completion } from '../console/types.js';
import type { ConsoleContext } from '../console/commands/console-context.js';
import { complete } from './complete.js';
import { commandOverviewLines, helpLines } from './help.js';
import { createParser } from './parse.js';
import { commandReferenceMarkdown } from './reference.js';
import { commandTable, type CommandModules, type CommandTable } from './table.js';
import type { Command, ParseResult } from './types.js';

/*
A command language built from the list of command modules it is handed: parsing,
Tab completion, help, the command reference (docs/reference/commands.md) and dispatch. Nothing here imports a
module list; the console builds its language from its own (console-language.ts) and
hands it to the commands that need it (`every`, `help`, `source`) through their
build and run contexts, so the modules never import the language back.
*/

export interface CommandLanguage extends CommandTable {
  /** Parse one typed line into a command, or one line saying what was wrong. Never throws. */
  readonly parseCommandLine: (line: string) => ParseResult;
  /** Parse a line already split into words (an `every` job's tokens after substitution). Never throws. */
  readonly parseTokens: (tokens: readonly string[]) => ParseResult;
  /** Completions for the word that ends at `cursor` (`pageNames` complete `open`). Never throws. */
  readonly complete: (line: string, cursor?: number, pageNames?: readonly string[]) => Completion;
  /** The overview of every command and the keys, or one command's help; wrapped to `width` when given. */
  readonly helpLines: (topic?: string, width?: number) => string[];
  /** Every command with its summary, without the key line. */
  readonly commandOverviewLines: (width?: number) => string[];
  /** Every command as Markdown: one `###` section each, with usage, flags and examples. */
  readonly referenceMarkdown: () => string;
  /** Runs a parsed command with its own module. */
  readonly run: (command: Command, context: ConsoleContext) => void;
}

export function createCommandLanguage(modules: CommandModules): CommandLanguage {
  const table = commandTable(modules);
  const parser = createParser(table, () => language);
  const language: CommandLanguage = {
    ...table,
    ...parser,
    complete: (line, cursor, pageNames) => complete(table, line, cursor, pageNames),
    helpLines: (topic, width) => helpLines(table, topic, width),
    commandOverviewLines: (width) => commandOverviewLines(table, width),
    referenceMarkdown: () => commandReferenceMarkdown(table),
    run: (command, context) => {
      const module = table.moduleFor(command.name);
      if (module === undefined) throw new Error(`no module runs ${command.name}`);
      module.run(command, context);
    },
  };
  return language;
}
