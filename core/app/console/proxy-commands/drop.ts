import { shown } from '../../commands/messages.js';
import { faultError, faultPlace, faultTarget, onLiveTarget, usageOf, type FaultTarget } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';

interface DropCommand {
  readonly name: 'drop';
  readonly count: number;
  readonly target: FaultTarget;
}

const overview = [['drop N [CONN|all]', 'drop the next N upstream events']] as const;

export const dropCommand: ProxyCommandModule<DropCommand> = {
  name: 'drop',
  overview,
  completes: (position) => (position === 2 ? ['all'] : []),
  details: [
    'Drops the next N upstream events (comments pass); each is logged [dropped] with its id and data, so you can see which ids the page never got.',
  ],
  parse(words) {
    const usage = usageOf(overview);
    const [, first, second, ...rest] = words;
    if (first === undefined) return faultError('drop', `missing N; usage: ${usage}`);
    if (rest.length > 0) return faultError('drop', `unexpected ${shown(rest[0] ?? '')}; usage: ${usage}`);
    const chosen = faultTarget(second, usage);
    if (!chosen.ok) return faultError('drop', chosen.error);
    if (!/^\d{1,6}$/.test(first) || Number(first) < 1)
      return faultError('drop', `N must be a whole number from 1 to 999999, got ${shown(first)}; usage: ${usage}`);
    return { ok: true, command: { name: 'drop', count: Number(first), target: chosen.command } };
  },
  run: onLiveTarget((command, { proxy, emit }) => {
    proxy.setFault(command.target, () => ({ drop: command.count }));
    emit(
      'output',
      `dropping the next ${command.count} upstream events on ${command.target === 'all' ? 'each live stream' : faultPlace(command.target)}; each is logged [dropped]`,
      { type: 'proxy-fault', fault: 'drop', count: command.count, target: command.target },
    );
  }),
};
