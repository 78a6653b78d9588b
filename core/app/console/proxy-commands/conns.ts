import type { ConnsCommand } from '../commands/conns.js';
import { connectionRows } from '../format.js';
import { asConnection } from './as-connection.js';
import type { ProxyCommandModule } from './proxy-module.js';

export const proxyConnsCommand: ProxyCommandModule<ConnsCommand> = {
  name: 'conns',
  overview: [['conns', 'list the proxied streams']],
  runs: ['conns'],
  run(_command, { proxy, emit, now, viewWidth }) {
    for (const line of connectionRows(proxy.streams().map(asConnection), now(), viewWidth())) emit('output', line);
  },
};
