import type { ConnectionInfo, SseLifecycleEvent } from '../stream/types.js';

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
}

interface TourStep {
  readonly title: string;
  readonly instructions: (context: TourContext) => string[];
  /** Returns the explanation once the step happened, else undefined. */
  readonly observe: (event: SseLifecycleEvent, context: TourContext) => string[] | undefined;
}

const steps: readonly TourStep[] = [
  {
    title: 'Open the demo page',
    instructions: ({ pagesUrl }) => [
      `Open ${new URL('textarea', pagesUrl).href} in a browser tab (or type \`open\`).`,
      'Its script runs `new EventSource(url)` against the SSE listener.',
    ],
    observe: (event) =>
      event.type === 'connected'
        ? [
            `Connection #${event.connection.id} appeared: the browser sent GET ${event.connection.path} with Accept: text/event-stream.`,
            'The server answered 200 with Content-Type: text/event-stream and keeps the response open: every event is written into it.',
          ]
        : undefined,
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
    instructions: ({ pagesUrl }) => [`Open ${new URL('textarea', pagesUrl).href} in a second tab.`],
    observe: (event, { connections }) =>
      event.type === 'connected' && connections().length >= 2
        ? [
            `Tab #${event.connection.id} connected. Its textarea is empty: "Hello World!" had no id, so there was nothing to replay.`,
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
    instructions: ({ pagesUrl }) => [`Open ${new URL('textarea', pagesUrl).href} in a third tab.`],
    observe: (event) =>
      event.type === 'replayed' && event.count > 0
        ? [
            `Tab #${event.connection.id} received ${plural(event.count, 'stored event')} as soon as it connected: that is replay.`,
            'Events sent with an id reach tabs opened later; events without one do not.',
          ]
        : undefined,
  },
  {
    title: 'Reconnect with Last-Event-ID',
    instructions: () => [
      'Type: close all   (the server hangs up every connection)',
      'The browsers wait their reconnection time (3 s in Chromium), then reconnect on their own.',
    ],
    observe: (event) =>
      event.type === 'connected' && event.connection.lastEventIdRequested !== undefined
        ? [
            `Tab #${event.connection.id} reconnected with Last-Event-ID: ${event.connection.lastEventIdRequested}.`,
            'The stream replays only events with a greater id, so the tab misses nothing and gets nothing twice.',
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

  function stepLines(): string[] {
    const step = steps[index];
    if (!step) {
      index = -1;
      return ['Tour finished: that is the whole Racket SSE session. `help send` and `help respond` go further.'];
    }
    return [`Tour step ${index + 1}/${steps.length}: ${step.title}`, ...step.instructions(context).map((line) => `  ${line}`)];
  }

  return {
    start() {
      index = 0;
      return ['Tour: the Racket SSE README session, step by step (`tour next` skips a step, `tour stop` ends).', ...stepLines()];
    },
    observe(event) {
      const step = steps[index];
      if (!step) return [];
      const explanation = step.observe(event, context);
      if (!explanation) return [];
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
