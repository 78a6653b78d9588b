import type { ConnectionInfo, HistoryRecord, SseLifecycleEvent } from '../../stream/types.js';
import { DEFAULT_PAGE_NAME } from '../pages/page-list.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
The guided tour: the Racket SSE README session, one step at a time. Each step says
what to do, notices when it happened (by watching the stream's lifecycle events) and
explains what the browser did and why.
*/

interface TourContext {
  readonly pagesUrl: string;
  readonly connections: () => readonly ConnectionInfo[];
  /** The replay log now; absent: empty. */
  readonly history?: () => readonly HistoryRecord[];
}

interface TourStep {
  readonly title: string;
  readonly instructions: (context: TourContext) => string[];
  /** Returns the explanation once the step happened, else undefined. */
  readonly observe: (event: SseLifecycleEvent, context: TourContext) => string[] | undefined;
  /** When the step becomes current: lines if the state already shows it done (tabs open before the tour). */
  readonly already?: (context: TourContext) => string[] | undefined;
  /** Lines for an event that is near the step but does not finish it (a reconnect that missed nothing). */
  readonly notice?: (event: SseLifecycleEvent, context: TourContext) => string[] | undefined;
}

const storedCount = (context: TourContext): number => context.history?.().length ?? 0;

const steps: readonly TourStep[] = [
  {
    title: 'Open the demo page',
    instructions: ({ pagesUrl }) => [
      `Open ${new URL(DEFAULT_PAGE_NAME, pagesUrl).href} in a browser tab (or type \`open\`).`,
      'Its script runs `new EventSource(url)` against the SSE listener.',
    ],
    observe: (event) =>
      event.type === 'connected'
        ? [
            `Connection #${event.connection.id} appeared: the browser sent GET ${event.connection.path} with Accept: text/event-stream.`,
            'The server answered 200 with Content-Type: text/event-stream and keeps the response open: every event is written into it.',
          ]
        : undefined,
    already: ({ connections }) => {
      const open = connections()[0];
      return open === undefined
        ? undefined
        : [
            `A tab is already connected (#${open.id}): its browser sent GET ${open.path} with Accept: text/event-stream and the response stays open.`,
          ];
    },
  },
  {
    title: 'Send an event without an id',
    instructions: () => ['Type: send --data "Hello World!"'],
    observe: (event) =>
      event.type === 'sent' && event.event.id === undefined && event.to === undefined && event.event.data !== ''
        ? [
            `The event went out as \`data: ${event.event.data.split(/\r\n|\r|\n/)[0] ?? ''}\` and a blank line, to ${plural(event.event.connectionCount, 'connection')}; the textarea shows it.`,
            'It had no id, so the stream did not store it: it exists only in the tabs that were open.',
          ]
        : undefined,
  },
  {
    title: 'Open a second tab',
    instructions: ({ pagesUrl }) => [`Open ${new URL(DEFAULT_PAGE_NAME, pagesUrl).href} in a second tab.`],
    observe: (event, context) =>
      event.type === 'connected' && context.connections().length >= 2
        ? [
            storedCount(context) === 0
              ? `Tab #${event.connection.id} connected. Its textarea is empty: "Hello World!" had no id, so there was nothing to replay.`
              : `Tab #${event.connection.id} connected and got the ${plural(storedCount(context), 'stored event')} (sent with --id before), but not "Hello World!": it had no id, so it was never stored.`,
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
    title: 'Send an event with an id',
    instructions: () => ['Type: send --data "Hello World! (again)" --id'],
    observe: (event) =>
      event.type === 'sent' && event.event.id !== undefined
        ? [
            `Both tabs show it. It went out with \`id: ${event.event.id}\` and was stored in the replay log.`,
            'The browser remembers that id as its lastEventId.',
          ]
        : undefined,
  },
  {
    title: 'Open a third tab',
    instructions: ({ pagesUrl }) => [`Open ${new URL(DEFAULT_PAGE_NAME, pagesUrl).href} in a third tab.`],
    observe: (event) =>
      event.type === 'replayed' && event.count > 0
        ? [
            `Tab #${event.connection.id} received ${plural(event.count, 'stored event')} as soon as it connected: that is replay.`,
            'Events sent with an id reach tabs opened later; events without one do not.',
          ]
        : undefined,
  },
  {
    title: 'Miss an event, get it back on reconnect',
    instructions: () => [
      'Type: retry 15000   (tabs now wait 15 s before reconnecting)',
      'Type: close all     (the server hangs up every connection)',
      'Type: send --data "sent while you were away" --id   (before the tabs come back)',
      'Then watch: each tab reconnects with Last-Event-ID and is replayed the event it missed.',
    ],
    observe: (event) =>
      event.type === 'replayed' && event.count > 0 && event.connection.lastEventIdRequested !== undefined
        ? [
            `Tab #${event.connection.id} reconnected with Last-Event-ID: ${event.connection.lastEventIdRequested} and was replayed ${plural(event.count, 'event')} it missed${event.firstId === undefined ? '' : event.firstId === event.lastId ? ` (id ${event.firstId})` : ` (ids ${event.firstId}–${event.lastId})`}.`,
            'The stream replays only events with a greater id, so the tab misses nothing and gets nothing twice. (`retry 3000` sets the usual wait again.)',
          ]
        : undefined,
    notice: (event) =>
      event.type === 'connected' && event.connection.lastEventIdRequested !== undefined
        ? [
            `  · Tab #${event.connection.id} reconnected with Last-Event-ID: ${event.connection.lastEventIdRequested}, but nothing newer was stored, so nothing was filled in: send an event with --id while the tabs are away (after \`close all\`).`,
          ]
        : undefined,
  },
];

export interface Tour {
  /** Lines to show now (the first step's instructions). */
  start(): string[];
  /** Lines to show when an event completes the current step, else empty. */
  observe(event: SseLifecycleEvent): string[];
  /** Skip to the next step. */
  next(): string[];
  /** The current step in one line (its number, title and first instruction), while active. */
  current(): string | undefined;
  readonly active: boolean;
}

export function createTour(context: TourContext): Tour {
  let index = -1;

  /** The current step's lines; steps the state already shows done are passed with a ✓ (tabs open before the tour). */
  function stepLines(): string[] {
    const lines: string[] = [];
    for (;;) {
      const step = steps[index];
      if (!step) {
        index = -1;
        lines.push('Tour finished: that is the whole Racket SSE session. `help send` and `help respond` go further.');
        return lines;
      }
      const done = step.already?.(context);
      if (done === undefined) {
        lines.push(
          `Tour step ${index + 1}/${steps.length}: ${step.title}`,
          ...step.instructions(context).map((line) => `  ${line}`),
        );
        return lines;
      }
      lines.push(`Tour step ${index + 1}/${steps.length}: ${step.title}`, ...done.map((line) => `  ✓ ${line}`));
      index += 1;
    }
  }

  return {
    start() {
      index = 0;
      return [
        'Tour: the Racket SSE README session, step by step (`tour next` skips a step, `tour stop` ends).',
        ...stepLines(),
      ];
    },
    observe(event) {
      const step = steps[index];
      if (!step) return [];
      const explanation = step.observe(event, context);
      if (!explanation) return step.notice?.(event, context) ?? [];
      index += 1;
      return [...explanation.map((line) => `  ✓ ${line}`), ...stepLines()];
    },
    next() {
      if (index < 0) return ['no tour running; `tour` starts one'];
      index += 1;
      return stepLines();
    },
    current() {
      const step = steps[index];
      if (!step) return undefined;
      const first = step.instructions(context)[0];
      return `tour ${index + 1}/${steps.length}: ${step.title}${first === undefined ? '' : ` · ${first}`}`;
    },
    get active() {
      return index >= 0;
    },
  };
}
