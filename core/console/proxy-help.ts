import { helpLines } from '../commands/index.js';
import { PROXY_FAULT_USAGE } from './proxy-fault-commands.js';

/** The console commands proxy mode runs, as its help lists them. */
const PROXY_OVERVIEW: readonly (readonly [string, string])[] = [
  ['send [TEXT] [--event NAME] [--to CONN]', 'inject an event between upstream events (every stream, or one)'],
  ['close CONN|all', 'cut the browser side and the upstream request; the page reconnects with Last-Event-ID'],
  ['respond STATUS [--once]', 'answer the next stream requests without asking upstream (204, 401, 500, 503 …)'],
  ['respond reset', 'forward stream requests again'],
  ...PROXY_FAULT_USAGE.map((line): readonly [string, string] => {
    const [usage = '', summary = ''] = line.split(/\s{2,}/);
    return [usage, summary];
  }),
  ['conns', 'list the proxied streams'],
  ['raw on|off', 'show the exact bytes of the proxied streams'],
  ['clear', 'clear the log view'],
  ['help [COMMAND]', 'this list, or one command explained'],
  ['quit', 'stop the proxy'],
];

const FAULT_DETAILS: Readonly<Record<string, readonly string[]>> = {
  delay: [
    'Holds every upstream event back DURATION before it reaches the browser (whole events, in order); `delay 0` stops. Each event that was held is logged [delayed …ms].',
  ],
  drop: [
    'Drops the next N upstream events (comments pass); each is logged [dropped] with its id and data, so you can see which ids the page never got.',
  ],
  pause: [
    "Holds upstream events until `resume`: the page sees a silent stream that is still open. At most 1 MiB is held per stream; then the app's response waits, as for a slow browser.",
  ],
  resume: ['Sends what `pause` held, in order, and streams again.'],
};

/** `help` in proxy mode: the proxy's commands, or one command explained. */
export function proxyHelpLines(topic: string | undefined): string[] {
  const word = (topic ?? '').trim().split(/\s+/)[0] ?? '';
  if (word === '') {
    const width = Math.max(...PROXY_OVERVIEW.map(([usage]) => usage.length));
    return [
      'Proxy mode commands (help COMMAND explains one):',
      ...PROXY_OVERVIEW.map(([usage, summary]) => `  ${usage.padEnd(width)}  ${summary}`),
    ];
  }
  const fault = FAULT_DETAILS[word];
  if (fault !== undefined) {
    const usage = PROXY_FAULT_USAGE.find((line) => line.startsWith(`${word} `))?.split(/\s{2,}/)[0] ?? word;
    return [`usage: ${usage}`, '', ...fault];
  }
  return helpLines(word);
}
