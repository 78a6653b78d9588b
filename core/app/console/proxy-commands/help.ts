import type { HelpCommand } from '../commands/help.js';
import type { ProxyCommandModule } from './proxy-module.js';

export const proxyHelpCommand: ProxyCommandModule<HelpCommand> = {
  name: 'help',
  overview: [['help [COMMAND]', 'this list, or one command explained']],
  runs: ['help'],
  run(command, { emit, helpLines }) {
    for (const line of helpLines(command.topic)) emit('output', line);
  },
};
