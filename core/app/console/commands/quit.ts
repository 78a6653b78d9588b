import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';

export interface QuitCommand {
  readonly name: 'quit';
}

function build(): BuildResult<QuitCommand> {
  return done({ name: 'quit' });
}

function run(_command: QuitCommand, context: ConsoleContext): void {
  context.quit();
}

export const quitCommand: CommandModule<QuitCommand> = {
  spec: {
    name: 'quit',
    aliases: ['exit'],
    summary: 'Stop the jobs, close every connection and exit',
    usage: 'quit',
    positionals: [],
    flags: [],
    examples: ['quit', 'exit'],
    explanation: [
      'Stops every job, ends every connection and closes both listeners. Open tabs will try to reconnect and fail until the console runs again. Ctrl+C does the same; a second Ctrl+C forces it.',
    ],
  },
  repeatable: false,
  build,
  run,
};
