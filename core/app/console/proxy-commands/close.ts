import type { CloseCommand } from '../commands/close.js';
import type { ProxyCommandModule } from './proxy-module.js';

/** `close` in proxy mode: the browser side and its upstream request. */
export const proxyCloseCommand: ProxyCommandModule<CloseCommand> = {
  name: 'close',
  overview: [
    ['close CONN|all', 'cut the browser side and the upstream request; the page reconnects with Last-Event-ID'],
  ],
  runs: ['close'],
  example: 'close all',
  run(command, { proxy, emit, exists, noStream }) {
    if (!exists(command.target)) {
      noStream(command.target as number);
      return;
    }
    const count = proxy.close(command.target);
    emit(
      'output',
      `closed ${count} stream${count === 1 ? '' : 's'} from the browser side and their upstream requests; browsers reconnect with Last-Event-ID`,
    );
  },
};
