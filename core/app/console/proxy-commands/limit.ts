import { usageOf } from './fault-target.js';
import type { ProxyCommandModule } from './proxy-module.js';
import { parseSetting, wholeNumber } from './shaping-setting.js';

interface LimitCommand {
  readonly name: 'limit';
  /** 0: no limit. */
  readonly value: number;
}

const overview = [
  ['limit N|off', "hold stream requests past N open at once, like a browser's connection pool"],
] as const;

export const limitCommand: ProxyCommandModule<LimitCommand> = {
  name: 'limit',
  overview,
  completes: (position) => (position === 1 ? ['off', '1', '2', '6'] : []),
  details: [
    "Lets at most N stream requests (Accept: text/event-stream) through at once. One more is not refused with an error: it waits with no answer at all until a stream ends, which is what a page sees when Chromium's pool of 6 connections per host over HTTP/1.1 is full (a 7th EventSource stays connecting). Streams already open stay open; `limit off` lets the waiting ones through.",
  ],
  parse: (words) => parseSetting('limit', words, usageOf(overview), (word) => wholeNumber(word, 'N', 1000)),
  run(command, { proxy, emit, changed }) {
    proxy.setShaping({ limit: command.value });
    emit(
      'output',
      command.value === 0
        ? 'limit off: stream requests that waited go upstream now'
        : `at most ${command.value} stream request${command.value === 1 ? '' : 's'} at once; more wait with no answer until one ends; \`limit off\` ends it`,
      { type: 'proxy-fault', fault: 'limit', count: command.value, target: 'all' },
    );
    changed();
  },
};
