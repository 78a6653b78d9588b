import { faultPlace, onLiveTarget, parseTargetOnly, usageOf, type FaultTarget } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';

const overview = [['pause CONN|all', 'hold upstream events until resume (held events are bounded)']] as const;

export const pauseCommand: ProxyCommandModule<{ readonly name: 'pause'; readonly target: FaultTarget }> = {
  name: 'pause',
  overview,
  example: 'pause all',
  completes: (position) => (position === 1 ? ['all'] : []),
  details: [
    "Holds upstream events until `resume CONN|all` (the same stream, or all): the page sees a silent stream that is still open. At most 1 MiB is held per stream; then the app's response waits, as for a slow browser.",
  ],
  parse: (words) => parseTargetOnly('pause', words, usageOf(overview)),
  run: onLiveTarget((command, { proxy, emit }) => {
    proxy.setFault(command.target, () => ({ paused: true }));
    emit(
      'output',
      `paused ${faultPlace(command.target)}: upstream events are held until \`resume ${command.target}\``,
      {
        type: 'proxy-fault',
        fault: 'pause',
        target: command.target,
      },
    );
  }),
};
