import { shown } from '../../commands/messages.js';
import { RECHUNK_MODES, type RechunkMode } from '../../proxy/rechunk.js';
import { faultError, usageOf } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';

interface RechunkCommand {
  readonly name: 'rechunk';
  readonly mode: RechunkMode;
}

const overview = [['rechunk utf8|crlf|bytes|off', 'split the bytes to the browser at hostile places']] as const;

const isMode = (word: string): word is RechunkMode => (RECHUNK_MODES as readonly string[]).includes(word);

export const rechunkCommand: ProxyCommandModule<RechunkCommand> = {
  name: 'rechunk',
  overview,
  completes: (position) => (position === 1 ? RECHUNK_MODES : []),
  details: [
    'Splits what goes to the browser where a parser that assumes whole pieces breaks, each piece in a write of its own: `utf8` inside every multi-byte UTF-8 character, `crlf` between every CR and its LF, `bytes` after every byte. A correct client (EventSource) shows the same events; a hand-written fetch parser that decodes each read on its own, or splits lines per read, does not. Applies to live streams and later ones; `rechunk off` ends it.',
  ],
  parse(words) {
    const usage = usageOf(overview);
    const [, first, second] = words;
    if (first === undefined) return faultError('rechunk', `missing a mode; usage: ${usage}`);
    if (second !== undefined) return faultError('rechunk', `unexpected ${shown(second)}; usage: ${usage}`);
    if (!isMode(first)) return faultError('rechunk', `no mode ${shown(first)}; usage: ${usage}`);
    return { ok: true, command: { name: 'rechunk', mode: first } };
  },
  run(command, { proxy, emit, changed }) {
    proxy.setShaping({ rechunk: command.mode });
    const how = {
      utf8: 'inside every multi-byte UTF-8 character',
      crlf: 'between every CR and LF',
      bytes: 'after every byte',
      off: '',
    };
    emit(
      'output',
      command.mode === 'off'
        ? 'rechunk off: bytes go to the browser as they come'
        : `splitting the bytes to the browser ${how[command.mode]}, each piece in its own write, on all streams (and new ones); \`rechunk off\` ends it`,
      { type: 'proxy-fault', fault: 'rechunk', target: 'all' },
    );
    changed();
  },
};
