import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';

export interface PauseCommand {
  readonly name: 'pause';
}

function build(): BuildResult<PauseCommand> {
  return done({ name: 'pause' });
}

function run(_command: PauseCommand, context: ConsoleContext): void {
  const { state, emit } = context;
  if (state.logFilter.paused) {
    emit('output', 'the log is already paused; `resume` shows activity again');
    return;
  }
  state.logFilter = { ...state.logFilter, paused: true, heldBack: 0 };
  emit('output', 'log paused: events are still delivered and the panes stay current; `resume` shows activity again');
  context.changed();
}

export const pauseCommand: CommandModule<PauseCommand> = {
  spec: {
    name: 'pause',
    aliases: ['quiet'],
    summary: 'Stop logging activity lines (delivery goes on); resume shows them again',
    usage: 'pause',
    positionals: [],
    flags: [],
    examples: ['pause', 'quiet'],
    explanation: [
      'While paused, the log shows only your commands and their answers, errors and warnings: a fast job or a reconnect storm no longer scrolls them away. Events are still sent and stored, and the panes stay current. `resume` says how many activity lines were not shown.',
    ],
  },
  repeatable: false,
  build,
  run,
};
