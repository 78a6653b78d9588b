import type { ParsedArgs } from '../../commands/args.js';
import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { word } from '../../commands/arg-values.js';

export interface HelpCommand {
  readonly name: 'help';
  readonly topic?: string;
}

function build(args: ParsedArgs): BuildResult<HelpCommand> {
  const topic = word(args, 0);
  return done(topic === undefined ? { name: 'help' } : { name: 'help', topic });
}

function run(command: HelpCommand, context: ConsoleContext): void {
  context.output(context.language.helpLines(command.topic, context.viewWidth()));
}

export const helpCommand: CommandModule<HelpCommand> = {
  spec: {
    name: 'help',
    summary: 'List the commands, or explain one',
    usage: 'help [COMMAND]',
    positionals: [{ name: 'COMMAND', description: 'a command name', optional: true, completes: 'commands' }],
    flags: [],
    examples: ['help', 'help send', 'help respond'],
    explanation: [
      '`help` lists every command; `help COMMAND` (or `COMMAND --help`) shows its usage, the SSE idea behind it, its flags and examples.',
    ],
  },
  repeatable: false,
  build,
  run,
};
