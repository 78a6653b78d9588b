import { usageOf } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';
import { parseSetting, wholeNumber } from './shaping-setting.js';

interface BufferCommand {
  readonly name: 'buffer';
  /** 0: off. */
  readonly value: number;
}

/** A buffer larger than this would only hold a stream for good. */
const MAX_BUFFER_BYTES = 1024 * 1024;

const overview = [
  ['buffer BYTES|off', 'hold output to the browser until BYTES gathered, like a buffering proxy'],
] as const;

export const bufferCommand: ProxyCommandModule<BufferCommand> = {
  name: 'buffer',
  overview,
  completes: (position) => (position === 1 ? ['off', '4096', '16384'] : []),
  details: [
    'Holds what goes to the browser until BYTES have gathered, then sends it in one write, as a buffering reverse proxy does (nginx with proxy_buffering on, a CDN): the page gets events in bursts, late. `buffer off` sends what is held and passes bytes as they come again. Applies to every stream, live ones too, and to streams opened later; the log shows events when they really reach the browser.',
  ],
  parse: (words) =>
    parseSetting('buffer', words, usageOf(overview), (word) => wholeNumber(word, 'BYTES', MAX_BUFFER_BYTES)),
  run(command, { proxy, emit, changed }) {
    proxy.setShaping({ bufferBytes: command.value });
    emit(
      'output',
      command.value === 0
        ? 'buffer off: what was held went to the browser; bytes pass as they come again'
        : `buffering output to the browser until ${command.value} bytes gather, on all streams (and new ones); \`buffer off\` ends it`,
      { type: 'proxy-fault', fault: 'buffer', bytes: command.value, target: 'all' },
    );
    changed();
  },
};
