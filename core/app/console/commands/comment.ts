import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';

export interface CommentCommand {
  readonly name: 'comment';
  readonly text: string;
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<CommentCommand> {
  const text = args.positionals.map((piece) => piece.value).join(' ');
  if (/[\r\n]/.test(text)) {
    return fail(usageError(spec, 'a comment is one line and may not contain CR or LF; send several comments'));
  }
  return done({ name: 'comment', text });
}

function run(command: CommentCommand, context: ConsoleContext): void {
  context.sse.sendComment(command.text);
}

export const commentCommand: CommandModule<CommentCommand> = {
  spec: {
    name: 'comment',
    summary: 'Send a comment line (": TEXT") that clients ignore',
    usage: 'comment [TEXT…]',
    positionals: [{ name: 'TEXT', description: 'the comment, one line', optional: true, variadic: true }],
    flags: [],
    examples: ['comment keep-alive', 'comment "still here"', 'comment'],
    explanation: [
      'A line that starts with a colon is a comment: EventSource ignores it and fires nothing, and it moves no id. Servers send comments as heartbeats (this console sends one every 15 s) so that proxies do not drop an idle connection. Send one and watch that the pages stay silent while `raw on` shows the bytes.',
      'A comment is one line, so CR and LF are refused; send several comments instead.',
    ],
  },
  repeatable: true,
  build,
  run,
};
