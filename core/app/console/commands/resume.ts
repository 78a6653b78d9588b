import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';

export interface ResumeCommand {
  readonly name: 'resume';
}

function build(): BuildResult<ResumeCommand> {
  return done({ name: 'resume' });
}

function run(_command: ResumeCommand, context: ConsoleContext): void {
  const { state, emit } = context;
  if (!state.logFilter.paused) {
    emit('output', 'the log is not paused');
    return;
  }
  const held = state.logFilter.heldBack;
  state.logFilter = { ...state.logFilter, paused: false, heldBack: 0 };
  emit('output', `log resumed; ${held} activity ${held === 1 ? 'line was' : 'lines were'} not shown while paused`);
  context.changed();
}

export const resumeCommand: CommandModule<ResumeCommand> = {
  spec: {
    name: 'resume',
    summary: 'Log activity lines again after pause',
    usage: 'resume',
    positionals: [],
    flags: [],
    examples: ['resume'],
    explanation: ['Ends `pause`: activity lines are logged again, starting with a count of those not shown.'],
  },
  repeatable: false,
  build,
  run,
};
