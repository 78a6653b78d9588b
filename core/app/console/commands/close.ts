import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import { parseConnectionId } from '../../commands/values.js';
import { plural } from '../format.js';

export interface CloseCommand {
  readonly name: 'close';
  readonly target: number | 'all';
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<CloseCommand> {
  const text = word(args, 0) ?? '';
  if (text === 'all') return done({ name: 'close', target: 'all' });
  const target = parseConnectionId(text, ', or all');
  return target.ok ? done({ name: 'close', target: target.value }) : fail(usageError(spec, target.error));
}

function run(command: CloseCommand, context: ConsoleContext): void {
  if (command.target === 'all') {
    // Announced first, so the log reads "closing 3 connections", then the three hang-ups.
    const streams = context.channels.all();
    const open = streams.reduce((sum, stream) => sum + stream.connections.length, 0);
    context.emit('output', `closing ${plural(open, 'connection')} (browsers reconnect after their retry time)`);
    for (const stream of streams) stream.closeAll();
  } else {
    // Checked first: close() throws NoSuchConnectionError for a number that is not open.
    const holder = context.streamOf(command.target);
    if (holder === undefined) context.emit('error', `no connection #${command.target}; \`conns\` lists the live ones`);
    else holder.close(command.target);
  }
}

export const closeCommand: CommandModule<CloseCommand> = {
  spec: {
    name: 'close',
    summary: 'Close a connection from the server side, or all of them',
    usage: 'close CONN|all',
    positionals: [
      {
        name: 'CONN',
        description: 'a connection number from conns, like 3 or #3, or all',
        choices: ['all'],
      },
    ],
    flags: [],
    examples: ['close 3', 'close #3', 'close all'],
    explanation: [
      'Ends the response for that connection, as the cl-sse server does after 10 events. A browser treats the end of a 200 stream like a dropped network: it waits the reconnection time (see `retry`) and connects again, sending Last-Event-ID if it has seen an id, and replay fills in what it missed. The new connection gets a new number.',
      'To make the browser give up instead, set `respond 204` first: the reconnection is answered 204 No Content and EventSource stops for good.',
    ],
  },
  repeatable: true,
  build,
  run,
};
