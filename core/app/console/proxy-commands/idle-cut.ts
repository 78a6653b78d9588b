import { parseDuration } from '../../commands/values.js';
import { formatDuration } from '../format.js';
import { usageOf } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';
import { parseSetting } from './shaping-setting.js';

interface IdleCutCommand {
  readonly name: 'idle-cut';
  /** Milliseconds; 0: off. */
  readonly value: number;
}

const overview = [['idle-cut DURATION|off', 'cut a stream after DURATION without a byte from upstream']] as const;

export const idleCutCommand: ProxyCommandModule<IdleCutCommand> = {
  name: 'idle-cut',
  overview,
  completes: (position) => (position === 1 ? ['off', '5s', '30s', '60s'] : []),
  details: [
    'Cuts a stream once DURATION passed without a byte from upstream (no event, no comment), as a load balancer or proxy with an idle timeout does (nginx proxy_read_timeout, AWS ALB: 60 s). The page sees its stream end and its EventSource reconnects. A heartbeat comment (": ping") shorter than DURATION keeps the stream alive. Quiet time counts from the last upstream byte or from the command, whichever is later; `idle-cut off` ends it.',
  ],
  parse: (words) =>
    parseSetting('idle-cut', words, usageOf(overview), (word) => {
      const ms = parseDuration(word);
      return ms.ok ? { ok: true, value: ms.value } : { ok: false, error: ms.error };
    }),
  run(command, { proxy, emit, changed }) {
    proxy.setShaping({ idleCutMs: command.value });
    emit(
      'output',
      command.value === 0
        ? 'idle-cut off: quiet streams stay open'
        : `cutting any stream quiet for ${formatDuration(command.value)} (no byte from upstream), on all streams (and new ones); \`idle-cut off\` ends it`,
      { type: 'proxy-fault', fault: 'idle-cut', ms: command.value, target: 'all' },
    );
    changed();
  },
};
