import { faultPlace, onLiveTarget, parseTargetOnly, usageOf, type FaultTarget } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';

const overview = [['pause CONN|all', 'hold upstream events until resume (held events are bounded)']] as const;

export const pauseCommand: ProxyCommandModule<{ readonly name: 'pause'; readonly target: FaultTarget }> = {
  name: 'pause',
  overview,
  details: [
    "Holds upstream events until `resume`: the page sees a silent stream that is still open. At most 1 MiB is held per stream; then the app's response waits, as for a slow browser.",
  ],
  parse: (words) => parseTargetOnly('pause', words, usageOf(overview)),
  run: onLiveTarget((command, { proxy, emit }) => {
    proxy.setFault(command.target, () => ({ paused: true }));
    emit('output', `paused ${faultPlace(command.target)}: upstream events are held until \`resume\``, {
      type: 'proxy-fault',
      fault: 'pause',
      target: command.target,
    });
  }),
};
