import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import type { ScriptStep } from '../lesson-script.js';
import { loadLesson } from '../load-lesson.js';
import { runScript } from '../script-runner.js';

export interface SourceCommand {
  readonly name: 'source';
  readonly file: string;
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<SourceCommand> {
  const file = word(args, 0) ?? '';
  if (file === '' || file.includes('\u0000'))
    return fail(usageError(spec, 'FILE is empty; name a script file or a shipped lesson'));
  return done({ name: 'source', file });
}

function run(command: SourceCommand, context: ConsoleContext): void {
  const { state, emit } = context;
  if (state.script !== undefined) {
    emit(
      'error',
      `a script is already running (${state.script.file}, line ${state.script.currentLine}); \`stop script\` ends it`,
    );
    return;
  }
  const lesson = loadLesson(command.file, context.options.lessonsDir, context.parseLine);
  if (!lesson.ok) {
    const shownErrors = lesson.errors.slice(0, 10);
    for (const error of shownErrors) emit('error', `source: ${error}`);
    if (lesson.errors.length > shownErrors.length)
      emit('error', `source: … and ${lesson.errors.length - shownErrors.length} more; nothing was run`);
    return;
  }
  const { file, steps } = lesson;
  const where = (step: ScriptStep) => ({ script: file, line: step.line });
  const before = context.expectations.tally;
  const running = runScript(file, steps, {
    execute(step) {
      emit('command', step.text, { type: 'command', ...where(step) });
      const parsed = context.parseLine(step.text);
      context.withOrigin(`${file}:${step.line}`, () => {
        if (parsed.ok) context.runCommand(parsed.command);
        else emit('error', parsed.error);
      });
    },
    narrate(step, text) {
      emit('info', text, { type: 'narration', ...where(step) });
    },
    connectionCount: () => context.allConnections().length,
    onConnectionsChanged: (listener) => context.onChange(listener),
    inputEnded: () => state.inputEnded,
    pendingExpectations: () => context.expectations.pending,
    backlog: () =>
      context
        .allConnections()
        .filter((connection) => connection.slow)
        .map(({ id, bufferedBytes }) => ({ id, bufferedBytes })),
  });
  state.script = running;
  emit('info', `running ${file}: ${steps.length} steps (\`stop script\` or Ctrl+C ends it)`, {
    type: 'script',
    state: 'started',
    file,
  });
  context.changed();
  void running.done.then((how) => {
    if (state.script === running) state.script = undefined;
    const after = context.expectations.tally;
    const passed = after.passed - before.passed;
    const failed = after.failed - before.failed;
    if (how === 'finished') {
      const verdicts = passed + failed === 0 ? {} : { expectations: { passed, failed } };
      const summary =
        passed + failed === 0
          ? ''
          : failed === 0
            ? `: all ${passed} expectation${passed === 1 ? '' : 's'} passed`
            : `: ${failed} of ${passed + failed} expectation${passed + failed === 1 ? '' : 's'} failed`;
      emit(failed === 0 ? 'info' : 'error', `script ${file} finished${summary}`, {
        type: 'script',
        state: 'finished',
        file,
        ...verdicts,
      });
    }
    context.changed();
    context.scriptEnded({ file, how, passed, failed });
  });
}

export const sourceCommand: CommandModule<SourceCommand> = {
  spec: {
    name: 'source',
    summary: 'Run a lesson script: a file of console commands',
    usage: 'source FILE',
    positionals: [
      {
        name: 'FILE',
        description: 'a script file, or the name of a shipped lesson',
        choices: ['racket-readme', 'reconnect'],
      },
    ],
    flags: [],
    examples: ['source racket-readme', 'source reconnect', 'source my-lesson.txt'],
    explanation: [
      'Runs FILE one line at a time, as if typed: console commands, `# narration` lines shown in the log, `sleep DURATION` (like 2s), `wait connections N` (until N tabs are connected), `wait enter` (until you press Enter) and `wait expectations` (until every `expect` armed so far has passed or failed; the script also waits for them before it ends). A teacher replays a prepared lesson; a student repeats it at home.',
      'Every line is checked before the first one runs, and each mistake names the file and line. FILE is a path, or the name of a lesson shipped in demo-pages/lessons (racket-readme, reconnect). One script runs at a time; `stop script` or Ctrl+C ends it. `sse-console --script FILE` runs one at start.',
    ],
  },
  repeatable: false,
  build,
  run,
};
