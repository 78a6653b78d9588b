import type { ClearCommand } from '../commands/clear.js';
import type { ProxyCommandModule } from './proxy-module.js';

export const proxyClearCommand: ProxyCommandModule<ClearCommand> = {
  name: 'clear',
  overview: [['clear', 'clear the log view']],
  runs: ['clear'],
  run(_command, { emit }) {
    emit('clear', '');
  },
};
