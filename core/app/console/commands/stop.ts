import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import { parseJobId } from '../../commands/values.js';

export interface StopCommand {
  readonly name: 'stop';
  readonly job: number | 'all' | 'script';
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<StopCommand> {
  const text = word(args, 0) ?? '';
  if (text === 'all' || text === 'script') return done({ name: 'stop', job: text });
  const job = parseJobId(text, ', all or script');
  return job.ok ? done({ name: 'stop', job: job.value }) : fail(usageError(spec, job.error));
}

function run(command: StopCommand, context: ConsoleContext): void {
  const { jobs, emit } = context;
  if (command.job === 'script') {
    if (!context.stopScript()) emit('error', 'no script is running; `source FILE` starts one');
    return;
  }
  if (command.job === 'all') {
    const stopped = jobs.stopAll();
    emit('job', `stopped ${stopped} ${stopped === 1 ? 'job' : 'jobs'}`);
  } else if (jobs.stop(command.job)) {
    emit('job', `job ${command.job} stopped`);
  } else {
    emit('error', `no job ${command.job}; \`jobs\` lists the running ones`);
  }
  context.changed();
}

export const stopCommand: CommandModule<StopCommand> = {
  spec: {
    name: 'stop',
    summary: 'Stop an every or replay job, all of them, or the running script',
    usage: 'stop JOB|all|script',
    positionals: [
      { name: 'JOB', description: 'a job number from jobs, like 1 or #1, all, or script', choices: ['all', 'script'] },
    ],
    flags: [],
    examples: ['stop 1', 'stop #1', 'stop all', 'stop script'],
    explanation: [
      'Stops a job started with `every` or `replay`. Events it already sent stay sent (and stored, if they had an id).',
      '`stop script` ends the lesson script started with `source` (or --script) at its current step; Ctrl+C does the same while a script runs. `stop all` stops the jobs only, so a script may use it.',
    ],
  },
  repeatable: true,
  build,
  run,
};
