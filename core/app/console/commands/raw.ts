import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import { shown } from '../../commands/messages.js';

export interface RawCommand {
  readonly name: 'raw';
  readonly on: boolean;
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<RawCommand> {
  const mode = word(args, 0);
  if (mode === 'on' || mode === 'off') return done({ name: 'raw', on: mode === 'on' });
  return fail(usageError(spec, `MODE must be on or off; got ${shown(mode ?? '')}`));
}

function run(command: RawCommand, context: ConsoleContext): void {
  context.state.raw = command.on;
  context.emit('output', command.on ? 'raw on: each send shows the exact bytes written' : 'raw off');
  context.changed();
}

export const rawCommand: CommandModule<RawCommand> = {
  spec: {
    name: 'raw',
    summary: 'Show the exact bytes of each event sent, or stop',
    usage: 'raw on|off',
    positionals: [{ name: 'MODE', description: 'on or off', choices: ['on', 'off'] }],
    flags: [],
    examples: ['raw on', 'raw off'],
    explanation: [
      'With raw on, every event sent is also logged as the exact bytes written to the sockets, line endings made visible. It shows that multi-line data becomes several data: lines, that each event ends with a blank line, and what id: and retry: look like on the wire.',
    ],
  },
  repeatable: true,
  build,
  run,
};
