import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { jobRows } from '../format.js';

export interface JobsCommand {
  readonly name: 'jobs';
}

function build(): BuildResult<JobsCommand> {
  return done({ name: 'jobs' });
}

function run(_command: JobsCommand, context: ConsoleContext): void {
  context.output(jobRows(context.jobs.list()));
}

export const jobsCommand: CommandModule<JobsCommand> = {
  spec: {
    name: 'jobs',
    summary: 'List the running every jobs',
    usage: 'jobs',
    positionals: [],
    flags: [],
    examples: ['jobs'],
    explanation: [
      'Shows each job started with `every` or `replay`: its number, interval (`recorded` for a replay, which keeps the recorded timing), command and how many times it has run. End one with `stop JOB`.',
    ],
  },
  repeatable: true,
  build,
  run,
};
