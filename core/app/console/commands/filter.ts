import type { ParsedArgs } from '../../commands/args.js';
import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { describeFilter } from '../log-filter.js';

/** `filter WORD…`: only activity lines of these kinds or with this text; `filter off` ends it; no words shows it. */
export interface FilterCommand {
  readonly name: 'filter';
  readonly words: readonly string[] | 'off' | 'show';
}

function build(args: ParsedArgs): BuildResult<FilterCommand> {
  const shownWords = args.positionals.map((positional) => positional.value).filter((text) => text !== '');
  if (shownWords.length === 0) return done({ name: 'filter', words: 'show' });
  if (shownWords.length === 1 && shownWords[0] === 'off') return done({ name: 'filter', words: 'off' });
  return done({ name: 'filter', words: shownWords });
}

function run(command: FilterCommand, context: ConsoleContext): void {
  const { state, emit } = context;
  if (command.words === 'show') {
    emit(
      'output',
      describeFilter(state.logFilter) ?? 'no filter: every activity line is logged (`filter WORD…` narrows it)',
    );
    return;
  }
  state.logFilter = {
    ...state.logFilter,
    words: command.words === 'off' ? [] : command.words.map((word) => word.toLowerCase()),
  };
  emit(
    'output',
    command.words === 'off'
      ? 'filter off: every activity line is logged'
      : `logging only activity lines that are or mention ${command.words.join(', ')}; your commands and their answers always show (\`filter off\` ends it)`,
  );
  context.changed();
}

export const filterCommand: CommandModule<FilterCommand> = {
  spec: {
    name: 'filter',
    summary: 'Show only the activity lines that match (kinds or text), or all again',
    usage: 'filter [WORD…|off]',
    positionals: [
      {
        name: 'WORD',
        description: 'a log kind (send, connect, disconnect, replay, page, job, raw …) or text to look for',
        optional: true,
        variadic: true,
      },
    ],
    flags: [],
    examples: ['filter connect disconnect', 'filter #3', 'filter off', 'filter'],
    explanation: [
      'Activity lines (sends, connections, replays, page requests, job runs) are logged only when one WORD is their kind, or, for a WORD that is no kind, appears in their text (case ignored). Your commands, their answers, errors and warnings are always shown. `filter off` shows everything again; `filter` alone says what is filtered. Events are still delivered: only the log is quieter.',
    ],
  },
  repeatable: false,
  build,
  run,
};
