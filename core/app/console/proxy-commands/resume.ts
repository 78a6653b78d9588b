import { faultPlace, onLiveTarget, parseTargetOnly, usageOf, type FaultTarget } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';

const overview = [['resume CONN|all', 'send what pause held and stream again']] as const;

export const resumeCommand: ProxyCommandModule<{ readonly name: 'resume'; readonly target: FaultTarget }> = {
  name: 'resume',
  overview,
  completes: (position) => (position === 1 ? ['all'] : []),
  details: ['Sends what `pause` held, in order, and streams again.'],
  parse: (words) => parseTargetOnly('resume', words, usageOf(overview)),
  run: onLiveTarget((command, { proxy, emit }) => {
    proxy.setFault(command.target, () => ({ paused: false }));
    emit('output', `resumed ${faultPlace(command.target)}: held events go out now, marked [delayed]`, {
      type: 'proxy-fault',
      fault: 'resume',
      target: command.target,
    });
  }),
};
