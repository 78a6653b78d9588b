import { shown } from '../../commands/messages.js';
import { faultError, usageOf } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';

interface GzipCommand {
  readonly name: 'gzip';
  readonly on: boolean;
}

const overview = [['gzip [off]', 'compress streams opened from now on, never flushing (events wait)']] as const;

export const gzipCommand: ProxyCommandModule<GzipCommand> = {
  name: 'gzip',
  overview,
  completes: (position) => (position === 1 ? ['off'] : []),
  details: [
    'Streams that open from now on are compressed with gzip (Content-Encoding: gzip) and the compressor is never flushed, as a compressing proxy or middleware that does not know event streams does: the page gets nothing until the compressor fills or the stream ends. Streams already open stay as they are (their head was sent); reload the page to see it. `gzip off` for streams opened later.',
  ],
  parse(words) {
    const usage = usageOf(overview);
    const [, first, second] = words;
    if (second !== undefined) return faultError('gzip', `unexpected ${shown(second)}; usage: ${usage}`);
    if (first === undefined || first === 'on') return { ok: true, command: { name: 'gzip', on: true } };
    if (first === 'off') return { ok: true, command: { name: 'gzip', on: false } };
    return faultError('gzip', `say nothing (on) or off, got ${shown(first)}; usage: ${usage}`);
  },
  run(command, { proxy, emit, changed }) {
    proxy.setShaping({ gzip: command.on });
    emit(
      'output',
      command.on
        ? 'gzip: streams opened from now on are compressed and never flushed (reload the page); `gzip off` ends it'
        : 'gzip off: streams opened from now on are not compressed',
      { type: 'proxy-fault', fault: 'gzip', target: 'all' },
    );
    changed();
  },
};
