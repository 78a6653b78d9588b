import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import { substitutePlaceholders } from '../../commands/placeholders.js';
import type { CommandLanguage } from '../../commands/language.js';
import type { CommandSpec } from '../../commands/spec.js';
import { parseDuration } from '../../commands/values.js';
import { formatDuration } from '../format.js';

export interface EveryCommand {
  readonly name: 'every';
  readonly intervalMs: number;
  /**
  The command to repeat, as tokens. Placeholders {n} (tick number from 1),
  {time} (HH:MM:SS), {iso} (ISO timestamp) and {date} (locale date and time)
  are substituted inside each token at every tick, then the tokens are parsed.
  */
  readonly tokens: readonly string[];
  /** The repeated command as the user typed it, for `jobs`. */
  readonly source: string;
}

function notRepeatable(language: CommandLanguage, spec: CommandSpec, name: string): BuildResult<never> {
  const allowed = language.commands.map((entry) => entry.name).filter((entry) => isRepeatable(language, entry));
  return fail(usageError(spec, `cannot repeat ${name}; a job can repeat ${allowed.join(', ')}`));
}

const isRepeatable = (language: CommandLanguage, name: string): boolean => !language.notRepeatable.includes(name);

function build(args: ParsedArgs, { spec, sourceFrom, language }: BuildContext): BuildResult<EveryCommand> {
  const interval = parseDuration(word(args, 0) ?? '');
  if (!interval.ok) return fail(usageError(spec, interval.error));
  const inner = args.positionals.slice(1);
  const tokens = inner.map((piece) => piece.value);
  const innerSpec = language.findCommand(tokens[0] ?? '');
  if (innerSpec !== undefined && !isRepeatable(language, innerSpec.name))
    return notRepeatable(language, spec, innerSpec.name);
  // Check the command now, with sample values, so a mistake shows once, not at every run.
  const sample = language.parseTokens(substitutePlaceholders(tokens, { n: 1, now: new Date() }));
  if (!sample.ok) return fail(`every: the command to repeat is wrong: ${sample.error}`);
  if (!isRepeatable(language, sample.command.name)) return notRepeatable(language, spec, sample.command.name);
  const source = sourceFrom(inner[0]?.at ?? 0);
  return done({ name: 'every', intervalMs: interval.value, tokens, source });
}

function run(command: EveryCommand, context: ConsoleContext): void {
  const { jobs, emit } = context;
  const job = jobs.start(command.intervalMs, command.source, (n) => {
    const tokens = substitutePlaceholders(command.tokens, { n, now: new Date(context.now()) });
    const parsed = context.parseTokens(tokens);
    if (!parsed.ok) {
      jobs.stop(job.id);
      emit('job', `job ${job.id} stopped: ${parsed.error}`);
      context.changed();
      return;
    }
    context.runCommand(parsed.command);
  });
  emit(
    'job',
    `job ${job.id} started: every ${formatDuration(command.intervalMs)} ${command.source} (\`stop ${job.id}\` ends it)`,
  );
  context.changed();
}

export const everyCommand: CommandModule<EveryCommand> = {
  spec: {
    name: 'every',
    summary: 'Repeat a command at an interval, as a background job',
    usage: 'every DURATION COMMAND…',
    positionals: [
      {
        name: 'DURATION',
        description: 'the interval: 500ms, 1s, 1.5s, 2m, 1h or a number of milliseconds; 10ms to 24h',
        choices: ['500ms', '1s', '5s', '1m'],
      },
      {
        name: 'COMMAND',
        description: 'the command to repeat, with placeholders',
        variadic: true,
        raw: true,
        completes: 'commands',
      },
    ],
    flags: [],
    examples: [
      'every 1s send --event tick --data "{time}"',
      'every 500ms send --id --data "tick {n}"',
      'every 15s comment heartbeat {iso}',
      'every 2m retry 3000',
    ],
    explanation: ({ notRepeatable }) => [
      'Starts a job that runs COMMAND every DURATION until `stop`. This is the awful-sse time server: `every 1s send --event tick --data "{time}"` feeds the clock page.',
      'The first run comes within one DURATION, on a beat that every job of that DURATION shares: jobs started apart still run together, so their events leave in one write per connection.',
      'Placeholders inside the command are filled in at each run: {n} is the run number from 1, {time} is HH:MM:SS, {iso} is an ISO timestamp and {date} the local date and time.',
      `The command is checked now, with sample values in the placeholders, so a mistake shows at once rather than every second. A job cannot run ${notRepeatable.slice(0, -1).join(', ')} or ${notRepeatable.at(-1) ?? ''}. \`jobs\` lists the jobs and \`stop JOB\` ends one.`,
    ],
  },
  repeatable: false,
  build,
  run,
};
