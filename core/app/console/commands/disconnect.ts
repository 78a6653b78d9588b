import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';

export interface DisconnectCommand {
  readonly name: 'disconnect';
}

function build(): BuildResult<DisconnectCommand> {
  return done({ name: 'disconnect' });
}

function run(_command: DisconnectCommand, context: ConsoleContext): void {
  const { state } = context;
  if (!state.remote) {
    context.emit('error', 'not connected to a remote stream; `connect URL` starts one');
    return;
  }
  state.remote.close();
  state.remote = undefined;
  context.changed();
}

export const disconnectCommand: CommandModule<DisconnectCommand> = {
  spec: {
    name: 'disconnect',
    summary: 'Close the client opened by connect',
    usage: 'disconnect',
    positionals: [],
    flags: [],
    examples: ['disconnect'],
    explanation: [
      'Ends the client stream started with `connect`, as EventSource.close() does: no reconnection follows.',
    ],
  },
  repeatable: false,
  build,
  run,
};
