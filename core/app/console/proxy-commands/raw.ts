import type { RawCommand } from '../commands/raw.js';
import type { ProxyCommandModule } from './proxy-module.js';

export const proxyRawCommand: ProxyCommandModule<RawCommand> = {
  name: 'raw',
  overview: [['raw on|off', 'show the exact bytes of the proxied streams']],
  runs: ['raw'],
  run(command, { state, emit, changed }) {
    state.raw = command.on;
    emit('output', command.on ? 'raw on: the exact bytes of every proxied stream are shown' : 'raw off');
    changed();
  },
};
