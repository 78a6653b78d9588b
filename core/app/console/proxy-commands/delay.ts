import { shown } from '../../commands/messages.js';
import { parseDuration } from '../../commands/values.js';
import { formatDuration } from '../format.js';
import { faultError, faultPlace, faultTarget, onLiveTarget, usageOf, type FaultTarget } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';

interface DelayCommand {
  readonly name: 'delay';
  readonly ms: number;
  readonly target: FaultTarget;
}

const overview = [['delay DURATION [CONN|all]', 'hold upstream events back (delay 0 stops); 2s, 500ms …']] as const;

export const delayCommand: ProxyCommandModule<DelayCommand> = {
  name: 'delay',
  overview,
  example: 'delay 2s',
  completes: (position) => (position === 2 ? ['all'] : []),
  details: [
    'Holds every upstream event back DURATION before it reaches the browser (whole events, in order); `delay 0` stops. Each event that was held is logged [delayed …ms].',
  ],
  parse(words) {
    const usage = usageOf(overview);
    const [, first, second, ...rest] = words;
    if (first === undefined) return faultError('delay', `missing DURATION; usage: ${usage}`);
    if (rest.length > 0) return faultError('delay', `unexpected ${shown(rest[0] ?? '')}; usage: ${usage}`);
    const chosen = faultTarget(second, usage);
    if (!chosen.ok) return faultError('delay', chosen.error);
    if (first === '0') return { ok: true, command: { name: 'delay', ms: 0, target: chosen.command } };
    const ms = parseDuration(first);
    return ms.ok
      ? { ok: true, command: { name: 'delay', ms: ms.value, target: chosen.command } }
      : faultError('delay', `${ms.error}; usage: ${usage}`);
  },
  run: onLiveTarget((command, { proxy, emit }) => {
    proxy.setFault(command.target, () => ({ delayMs: command.ms }));
    const where = faultPlace(command.target);
    emit(
      'output',
      command.ms === 0
        ? `delay off on ${where}`
        : `delaying every upstream event by ${formatDuration(command.ms)} on ${where}; events that pass are marked [delayed]`,
      { type: 'proxy-fault', fault: 'delay', ms: command.ms, target: command.target },
    );
  }),
};
