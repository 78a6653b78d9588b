import type { ConnectionInfo, HistoryRecord, SseLifecycleEvent } from '../../index.js';
import { DEFAULT_PAGE_NAME } from '../pages/page-list.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
The guided tour: the Racket SSE README session, one step at a time. Each step says
what to do, notices when it happened (by watching the stream's lifecycle events) and
explains what the browser did and why. Every count it says is the stream's own, so the
tour is right after other demos (tabs already open, events already stored), and a tab
is judged once, on what it actually received: after its replay, not when it arrived.
*/

interface TourContext {
  readonly pagesUrl: string;
  readonly connections: () => readonly ConnectionInfo[];
  /** The replay log now; absent: empty. */
  readonly history?: () => readonly HistoryRecord[];
}

/** A connection once its replay is written: what the tour judges a tab by. */
interface Arrival {
  readonly type: 'arrived';
  readonly connection: ConnectionInfo;
  /** Stored events the replay gave it (0: none). */
  readonly replayed: number;
  readonly firstId?: number | string | undefined;
  readonly lastId?: number | string | undefined;
}

/** What a step watches: the stream's sends, and tabs once they have their replay. */
type TourHappening = SseLifecycleEvent | Arrival;

interface TourStep {
  readonly title: (context: TourContext) => string;
  readonly instructions: (context: TourContext) => string[];
  /** Returns the explanation once the step happened, else undefined. */
  readonly observe: (happening: TourHappening, context: TourContext) => string[] | undefined;
  /** When the step becomes current: lines if the state already shows it done (tabs open before the tour). */
  readonly already?: (context: TourContext) => string[] | undefined;
  /** Lines for a happening that is near the step but does not finish it (a reconnect that missed nothing). */
  readonly notice?: (happening: TourHappening, context: TourContext) => string[] | undefined;
}

const pageUrl = (pagesUrl: string): string => new URL(DEFAULT_PAGE_NAME, pagesUrl).href;

const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** The tab to open next, counted from the tabs open now: "a third tab", "a fifth tab". */
function nextTab(open: number): string {
  const ordinal = ordinals[open];
  return open === 0 ? 'a tab' : ordinal === undefined ? 'one more tab' : `a ${ordinal} tab`;
}

/** Who saw an event that went to `count` connections. */
function whoShows(count: number): string {
  if (count === 0) return 'No tab is open, so none shows it yet.';
  if (count === 1) return 'The open tab shows it.';
  if (count === 2) return 'Both tabs show it.';
  return `All ${count} tabs show it.`;
}

/** `#1, #2, #3`; past five, the first four and how many more. */
function connectionIds(connections: readonly ConnectionInfo[]): string {
  const ids = connections.map((c) => `#${c.id}`);
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 4).join(', ')} and ${ids.length - 4} more`;
}

function idRange(arrival: Arrival): string {
  if (arrival.firstId === undefined) return '';
  return arrival.firstId === arrival.lastId
    ? ` (id ${arrival.firstId})`
    : ` (ids ${arrival.firstId}–${arrival.lastId})`;
}

const steps: readonly TourStep[] = [
  {
    title: () => 'Open the demo page',
    instructions: ({ pagesUrl }) => [
      `Open ${pageUrl(pagesUrl)} in a browser tab (or type \`open\`).`,
      'Its script runs `new EventSource(url)` against the SSE listener.',
    ],
    observe: (happening) =>
      happening.type === 'arrived'
        ? [
            `Connection #${happening.connection.id} appeared: the browser sent GET ${happening.connection.path} with Accept: text/event-stream.`,
            'The server answered 200 with Content-Type: text/event-stream and keeps the response open: every event is written into it.',
            ...(happening.replayed === 0
              ? []
              : [
                  `It was replayed the ${plural(happening.replayed, 'stored event')}${idRange(happening)} at once (sent with --id before it came).`,
                ]),
          ]
        : undefined,
    already: ({ connections }) => {
      const open = connections();
      const first = open[0];
      if (first === undefined) return undefined;
      return open.length === 1
        ? [
            `A tab is already connected (#${first.id}): its browser sent GET ${first.path} with Accept: text/event-stream and the response stays open.`,
          ]
        : [
            `${plural(open.length, 'tab')} are already connected (${connectionIds(open)}): each sent GET with Accept: text/event-stream and each response stays open.`,
          ];
    },
  },
  {
    title: () => 'Send an event without an id',
    instructions: () => ['Type: send --data "Hello World!"'],
    observe: (happening) =>
      happening.type === 'sent' &&
      happening.event.id === undefined &&
      happening.to === undefined &&
      happening.event.data !== ''
        ? [
            `The event went out as \`data: ${happening.event.data.split(/\r\n|\r|\n/)[0] ?? ''}\` and a blank line, to ${plural(happening.event.connectionCount, 'connection')}${happening.event.connectionCount === 0 ? ': no tab was open to show it' : '; the textarea shows it'}.`,
            'It had no id, so the stream did not store it: it exists only in the tabs that were open.',
          ]
        : undefined,
  },
  {
    title: () => 'Open a second tab',
    instructions: ({ pagesUrl, connections }) => [`Open ${pageUrl(pagesUrl)} in ${nextTab(connections().length)}.`],
    observe: (happening, context) =>
      happening.type === 'arrived' && context.connections().length >= 2
        ? [
            happening.replayed === 0
              ? `Tab #${happening.connection.id} connected. Its textarea is empty: "Hello World!" had no id, so there was nothing to replay.`
              : `Tab #${happening.connection.id} connected and got the ${plural(happening.replayed, 'stored event')}${idRange(happening)} (sent with --id before), but not "Hello World!": it had no id, so it was never stored.`,
          ]
        : undefined,
    already: ({ connections }) =>
      connections().length >= 2
        ? [
            `${plural(connections().length, 'tab')} are already connected; events without an id reach only the tabs open when they are sent.`,
          ]
        : undefined,
  },
  {
    title: () => 'Send an event with an id',
    instructions: () => ['Type: send --data "Hello World! (again)" --id'],
    observe: (happening) =>
      happening.type === 'sent' && happening.event.id !== undefined && happening.to === undefined
        ? [
            `${whoShows(happening.event.connectionCount)} It went out with \`id: ${happening.event.id}\` and was stored in the replay log.`,
            'The browser remembers that id as its lastEventId.',
          ]
        : undefined,
  },
  {
    title: ({ connections }) => `Open ${nextTab(connections().length)}`,
    instructions: ({ pagesUrl, connections }) => [`Open ${pageUrl(pagesUrl)} in ${nextTab(connections().length)}.`],
    observe: (happening) =>
      happening.type === 'arrived' && happening.replayed > 0
        ? [
            `Tab #${happening.connection.id} received ${plural(happening.replayed, 'stored event')}${idRange(happening)} as soon as it connected: that is replay.`,
            'Events sent with an id reach tabs opened later; events without one do not.',
          ]
        : undefined,
    notice: (happening) =>
      happening.type === 'arrived' && happening.connection.lastEventIdRequested === undefined
        ? [
            `  · Tab #${happening.connection.id} connected and was replayed nothing: no event is stored yet (send one with --id, then open a tab).`,
          ]
        : undefined,
  },
  {
    title: () => 'Miss an event, get it back on reconnect',
    instructions: () => [
      'Type: retry 15000   (tabs now wait 15 s before reconnecting)',
      'Type: close all     (the server hangs up every connection)',
      'Type: send --data "sent while you were away" --id   (before the tabs come back)',
      'Then watch: each tab reconnects with Last-Event-ID and is replayed the event it missed.',
    ],
    observe: (happening) =>
      happening.type === 'arrived' && happening.replayed > 0 && happening.connection.lastEventIdRequested !== undefined
        ? [
            `Tab #${happening.connection.id} reconnected with Last-Event-ID: ${happening.connection.lastEventIdRequested} and was replayed ${plural(happening.replayed, 'event')} it missed${idRange(happening)}.`,
            'The stream replays only events with a greater id, so the tab misses nothing and gets nothing twice. (`retry 3000` sets the usual wait again.)',
          ]
        : undefined,
    notice: (happening) =>
      happening.type === 'arrived' && happening.connection.lastEventIdRequested !== undefined
        ? [
            `  · Tab #${happening.connection.id} reconnected with Last-Event-ID: ${happening.connection.lastEventIdRequested}, but nothing newer was stored, so nothing was filled in: send an event with --id while the tabs are away (after \`close all\`).`,
          ]
        : undefined,
  },
];

/** The current step for a view: its heading, and what to do first (whole: it may be a command to type). */
export interface TourStepView {
  /** `tour 4/6: Send an event with an id`. */
  readonly heading: string;
  /** `Type: send --data "Hello World! (again)" --id`, when the step has one. */
  readonly instruction?: string;
}

export interface Tour {
  /** Lines to show now (the first step's instructions). */
  start(): string[];
  /** Lines to show when an event completes the current step, else empty. */
  observe(event: SseLifecycleEvent): string[];
  /**
  Call once a connection's `connected` event has been handled and its replay written
  (the stream writes it right after, in the same turn), with a fresh snapshot of the
  connection: a tab that was replayed nothing is judged now; one still being replayed
  (waiting for its socket to drain) is judged by its `replayed` event.
  */
  settle(connection: ConnectionInfo): string[];
  /** Skip to the next step. */
  next(): string[];
  /** The current step, while active. */
  current(): TourStepView | undefined;
  readonly active: boolean;
}

export function createTour(context: TourContext): Tour {
  let index = -1;
  /** Connections seen connecting whose replay is not judged yet. */
  const awaiting = new Set<number>();

  /** The current step's lines; steps the state already shows done are passed with a ✓ (tabs open before the tour). */
  function stepLines(): string[] {
    const lines: string[] = [];
    for (;;) {
      const step = steps[index];
      if (!step) {
        index = -1;
        awaiting.clear();
        lines.push('Tour finished: that is the whole Racket SSE session. `help send` and `help respond` go further.');
        return lines;
      }
      const heading = `Tour step ${index + 1}/${steps.length}: ${step.title(context)}`;
      const done = step.already?.(context);
      if (done === undefined) {
        lines.push(heading, ...step.instructions(context).map((line) => `  ${line}`));
        return lines;
      }
      lines.push(heading, ...done.map((line) => `  ✓ ${line}`));
      index += 1;
    }
  }

  function happened(happening: TourHappening): string[] {
    const step = steps[index];
    if (!step) return [];
    const explanation = step.observe(happening, context);
    if (!explanation) return step.notice?.(happening, context) ?? [];
    index += 1;
    return [...explanation.map((line) => `  ✓ ${line}`), ...stepLines()];
  }

  return {
    start() {
      index = 0;
      awaiting.clear();
      return [
        'Tour: the Racket SSE README session, step by step (`tour next` skips a step, `tour stop` ends).',
        ...stepLines(),
      ];
    },
    observe(event) {
      if (index < 0) return [];
      switch (event.type) {
        case 'connected':
          // Judged once its replay is written: by `replayed`, or by `settle` when there was none.
          awaiting.add(event.info.id);
          return [];
        case 'replayed':
          if (!awaiting.delete(event.info.id)) return [];
          return happened({
            type: 'arrived',
            connection: event.info,
            replayed: event.count,
            firstId: event.firstId,
            lastId: event.lastId,
          });
        case 'disconnected':
          awaiting.delete(event.info.id);
          return happened(event);
        default:
          return happened(event);
      }
    },
    settle(connection) {
      if (index < 0 || !awaiting.has(connection.id)) return [];
      // Something written already is a replay still under way: its `replayed` event decides.
      if (connection.eventsSent > 0) return [];
      awaiting.delete(connection.id);
      return happened({ type: 'arrived', connection, replayed: 0 });
    },
    next() {
      if (index < 0) return ['no tour running; `tour` starts one'];
      index += 1;
      return stepLines();
    },
    current() {
      const step = steps[index];
      if (!step) return undefined;
      const heading = `tour ${index + 1}/${steps.length}: ${step.title(context)}`;
      const first = step.instructions(context)[0];
      return first === undefined ? { heading } : { heading, instruction: first };
    },
    get active() {
      return index >= 0;
    },
  };
}
