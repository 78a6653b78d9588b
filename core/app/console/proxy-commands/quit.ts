import type { QuitCommand } from '../commands/quit.js';
import type { ProxyCommandModule } from './proxy-module.js';

export const proxyQuitCommand: ProxyCommandModule<QuitCommand> = {
  name: 'quit',
  overview: [['quit', 'stop the proxy']],
  runs: ['quit'],
  run(_command, { quit }) {
    quit();
  },
};
