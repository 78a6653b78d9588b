import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import { shown } from '../../commands/messages.js';
import { createTour } from '../tour.js';

export interface TourCommand {
  readonly name: 'tour';
  readonly action: 'start' | 'next' | 'stop';
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<TourCommand> {
  const action = word(args, 0);
  if (action === undefined) return done({ name: 'tour', action: 'start' });
  if (action === 'next' || action === 'stop') return done({ name: 'tour', action });
  return fail(usageError(spec, `unknown action ${shown(action)}; use tour, tour next or tour stop`));
}

function run(command: TourCommand, context: ConsoleContext): void {
  const { state, emit, sse } = context;
  if (command.action === 'stop') {
    emit('info', state.tour?.active ? 'tour stopped' : 'no tour running', { type: 'tour' });
    state.tour = undefined;
    return;
  }
  if (command.action === 'next') {
    for (const line of state.tour ? state.tour.next() : ['no tour running; `tour` starts one'])
      emit('info', line, { type: 'tour' });
    return;
  }
  state.tour = createTour({
    pagesUrl: context.options.pagesUrl,
    connections: () => sse.connections.map((connection) => connection.info()),
    history: () => sse.history,
  });
  for (const line of state.tour.start()) emit('info', line, { type: 'tour' });
}

export const tourCommand: CommandModule<TourCommand> = {
  spec: {
    name: 'tour',
    summary: 'A guided walk through SSE, one command at a time',
    usage: 'tour [next|stop]',
    positionals: [{ name: 'ACTION', description: 'next or stop', optional: true }],
    flags: [],
    subcommands: [
      { name: 'next', usage: 'tour next', summary: 'Go to the next step' },
      { name: 'stop', usage: 'tour stop', summary: 'End the tour' },
    ],
    examples: ['tour', 'tour next', 'tour stop'],
    explanation: [
      '`tour` starts a short lesson: each step asks you to type one command and says what to watch for in the browser tabs. `tour next` moves on and `tour stop` ends it.',
    ],
  },
  repeatable: false,
  build,
  run,
};
