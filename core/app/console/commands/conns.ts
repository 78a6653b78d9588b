import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { connectionRows } from '../format.js';

export interface ConnsCommand {
  readonly name: 'conns';
}

function build(): BuildResult<ConnsCommand> {
  return done({ name: 'conns' });
}

function run(_command: ConnsCommand, context: ConsoleContext): void {
  context.output(connectionRows(context.allConnections(), context.now(), context.viewWidth()));
}

export const connsCommand: CommandModule<ConnsCommand> = {
  spec: {
    name: 'conns',
    summary: 'List the open connections',
    usage: 'conns',
    positionals: [],
    flags: [],
    examples: ['conns'],
    explanation: [
      'One row per connection: its number (#1, #2 …, never reused, shared by every channel), its channel (when a page connected to /events/NAME), remote address, user agent, path, the Last-Event-ID it asked for, when it connected, events and bytes sent, and bytes still buffered. A buffer that keeps growing means the client reads more slowly than you send.',
      'In the TUI each row fits the terminal: the columns the connections pane leaves out first go first (address, sent, buffered, protocol, browser …), so the number, path and Last-Event-ID stay. Line mode and --json show every column.',
      'Over HTTP/1.1 a browser allows only 6 connections per host across all its tabs, so a seventh tab waits until another closes.',
    ],
  },
  repeatable: true,
  build,
  run,
};
