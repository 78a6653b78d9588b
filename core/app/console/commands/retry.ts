import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import { parseMilliseconds } from '../../commands/values.js';

export interface RetryCommand {
  readonly name: 'retry';
  readonly ms: number;
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<RetryCommand> {
  const ms = parseMilliseconds(word(args, 0) ?? '');
  return ms.ok ? done({ name: 'retry', ms: ms.value }) : fail(usageError(spec, ms.error));
}

/** To every stream, the main one and each channel: the reconnection time is the browser's, whatever the page listens to. */
function run(command: RetryCommand, context: ConsoleContext): void {
  for (const stream of context.channels.all()) stream.sendNewEvent({ retry: command.ms });
}

export const retryCommand: CommandModule<RetryCommand> = {
  spec: {
    name: 'retry',
    summary: 'Tell clients how long to wait before reconnecting (retry: field), on every stream',
    usage: 'retry MS',
    positionals: [
      { name: 'MS', description: 'milliseconds, a whole number like 3000', choices: ['1000', '3000', '10000'] },
    ],
    flags: [],
    examples: ['retry 3000', 'retry 10000', 'retry 0'],
    explanation: [
      'Sends a block with only a `retry: MS` field, on the main stream and on every channel. The browser stores it as its reconnection time at once and fires no event. The next time the connection ends it waits that long, then reconnects, sending Last-Event-ID if it has seen an id.',
      'Try `retry 10000`, then `close all`: the tabs wait ten seconds before they come back. The value is a whole number of milliseconds, 0 or more (awful-sse send-sse-retry).',
    ],
  },
  repeatable: true,
  build,
  run,
};
