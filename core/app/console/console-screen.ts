import type { HistoryRecord } from '../../index.js';
import type { ScreenModel } from './screen-model.js';

export interface ConsoleScreenFacts {
  readonly sseUrl: string;
  readonly pagesUrl: string;
  readonly connections: number;
  readonly history: readonly HistoryRecord[];
  readonly nextId: number;
  readonly jobs: number;
  /** The help overlay's list of commands (the language's overview). */
  readonly commandHelp: (width?: number) => readonly string[];
}

/** The console's screen: its stream and pages, replay history, and how to start. */
export function consoleScreen(facts: ConsoleScreenFacts): ScreenModel {
  const { connections, history } = facts;
  return {
    addresses: [
      { label: 'SSE', url: facts.sseUrl, opens: true },
      { label: 'pages', url: facts.pagesUrl, opens: true },
    ],
    counts: [
      `${connections} ${connections === 1 ? 'connection' : 'connections'}`,
      `${history.length} stored, next id ${facts.nextId}`,
      `${facts.jobs} ${facts.jobs === 1 ? 'job' : 'jobs'}`,
    ],
    firstHint: '? help · tour · open (a demo page) · Tab completes',
    commandHelp: facts.commandHelp,
    connections: {
      title: 'Connections',
      empty: (seen) =>
        seen === 0
          ? 'none yet: open a demo page (`open`) or run'
          : `none now (${seen === 1 ? 'the one connection' : `all ${seen}`} closed): reload a page, \`open\`, or run`,
      // -k: the `--http2` certificate is self-signed (made for localhost on first use).
      copy: `curl ${facts.sseUrl.startsWith('https:') ? '-kN' : '-N'} ${facts.sseUrl}`,
    },
    events: {
      title: 'Stored events',
      counts: `${history.length}, next id ${facts.nextId}`,
      rows: history,
      empty: 'none yet: `send --data TEXT --id` stores one for replay',
      older: '`history` lists them',
    },
  };
}
