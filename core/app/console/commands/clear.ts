import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';

export interface ClearCommand {
  readonly name: 'clear';
}

function build(): BuildResult<ClearCommand> {
  return done({ name: 'clear' });
}

function run(_command: ClearCommand, context: ConsoleContext): void {
  context.emit('clear', '');
}

export const clearCommand: CommandModule<ClearCommand> = {
  spec: {
    name: 'clear',
    summary: 'Clear the log view',
    usage: 'clear',
    positionals: [],
    flags: [],
    examples: ['clear'],
    explanation: ['Clears the console log. Connections, jobs and the replay log are untouched.'],
  },
  repeatable: false,
  build,
  run,
};
