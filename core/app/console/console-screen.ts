import type { HistoryRecord } from '../../index.js';
import type { ScreenModel } from './screen-model.js';

export interface ConsoleScreenFacts {
  readonly sseUrl: string;
  readonly pagesUrl: string;
  readonly connections: number;
  readonly history: readonly HistoryRecord[];
  /** The id the next `send --id` gets; absent for a store with ids of its own (Redis). */
  readonly nextId?: number;
  /** Where the log is kept (memory, file, redis); the status line names it. */
  readonly store?: string;
  readonly jobs: number;
  /** The help overlay's list of commands (the language's overview). */
  readonly commandHelp: (width?: number) => readonly string[];
}

/** The console's screen: its stream and pages, replay history, and how to start. */
export function consoleScreen(facts: ConsoleScreenFacts): ScreenModel {
  const { connections, history } = facts;
  const stored = `${history.length} stored${facts.nextId === undefined ? '' : `, next id ${facts.nextId}`}`;
  return {
    addresses: [
      { label: 'SSE', url: facts.sseUrl, opens: true },
      { label: 'pages', url: facts.pagesUrl, opens: true },
    ],
    counts: [
      `${connections} ${connections === 1 ? 'connection' : 'connections'}`,
      stored,
      `${facts.jobs} ${facts.jobs === 1 ? 'job' : 'jobs'}`,
      ...(facts.store === undefined ? [] : [`store ${facts.store}`]),
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
      counts: facts.nextId === undefined ? `${history.length}` : `${history.length}, next id ${facts.nextId}`,
      rows: history,
      empty: 'none yet: `send --data TEXT --id` stores one for replay',
      older: '`history` lists them',
    },
  };
}
