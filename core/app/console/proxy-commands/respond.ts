import type { RespondCommand, RespondResetCommand } from '../commands/respond.js';
import type { ProxyCommandModule } from './proxy-module.js';

/** `respond` in proxy mode: the proxy answers stream requests itself, without asking upstream. */
export const proxyRespondCommand: ProxyCommandModule<RespondCommand | RespondResetCommand> = {
  name: 'respond',
  overview: [
    ['respond STATUS [--once]', 'answer the next stream requests without asking upstream (204, 401, 500, 503 …)'],
    ['respond reset', 'forward stream requests again'],
  ],
  runs: ['respond', 'respond-reset'],
  run(command, { proxy, emit, changed }) {
    if (command.name === 'respond-reset') {
      proxy.setAnswer(undefined);
      emit('output', 'stream requests are forwarded upstream again');
    } else if (command.status === 200) {
      proxy.setAnswer(undefined);
      emit(
        'output',
        "respond 200: a stream is the app's own answer, so stream requests are forwarded upstream (as after `respond reset`)",
      );
    } else {
      proxy.setAnswer({ status: command.status, headers: command.headers, once: command.once });
      emit(
        'output',
        `the next stream request${command.once ? ' is' : 's are'} answered ${command.status} by the proxy, without asking upstream (\`respond reset\` forwards again)`,
      );
    }
    changed();
  },
};
