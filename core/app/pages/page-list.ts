/** One demo page served by the page listener (`/<name>` and `/<name>.html`). */
export interface PageInfo {
  /** URL path segment and the argument of the console's `open` command. */
  readonly name: string;
  readonly title: string;
  /** One line on what the page shows. */
  readonly summary: string;
  /** A console command (or step) that makes the page do something, as typed: it must work whatever ran before. */
  readonly tryCommand: string;
  /**
  The channel the page's stream is on (`/events/NAME`), so it shows only what its
  own demo sends; absent for pages on the main stream (`/events`).
  */
  readonly channel?: string;
}

/**
The demo pages, in the order the index and the `pages` command list them.
Each reproduces one seed example; demo-pages/<name>.html must exist for each.
*/
export const PAGES: readonly PageInfo[] = [
  {
    name: 'textarea',
    title: 'Textarea',
    summary:
      'Every event is prepended to a read-only textarea; events sent with --id also reach tabs opened later (Racket SSE).',
    tryCommand: 'send --data "Hello World!" --id',
  },
  {
    name: 'clock',
    channel: 'clock',
    title: 'Clock',
    summary: 'Shows the time the server pushes once a second as tick events (awful-sse time server).',
    tryCommand: 'every 1s send --channel clock --event tick --data "{time}"',
  },
  {
    name: 'toggles',
    title: 'Toggles',
    summary:
      'Click a box in one tab: the page server flips it and every open tab updates from the toggles event (awful-sse SSE + Ajax).',
    tryCommand: 'open toggles',
  },
  {
    name: 'reconnect',
    channel: 'reconnect',
    title: 'Reconnect',
    summary:
      'The stream hangs up after 10 events; the browser reconnects with Last-Event-ID and resumes with no gap and no duplicate (cl-sse).',
    tryCommand: 'every 500ms send --channel reconnect --id --data "tick {n}"',
  },
  {
    name: 'custom-event',
    channel: 'custom-event',
    title: 'Named events',
    summary: 'A my-custom-event listener next to onmessage: named events never reach onmessage (clack-sse).',
    tryCommand: 'send --channel custom-event --event my-custom-event --data "Hello World! 1"',
  },
  {
    name: 'channels',
    title: 'Channels',
    summary:
      'Two channels side by side (/events/news and /events/weather): each gets only its own events and replays its own log.',
    tryCommand: 'send --channel news --id "Extra! Extra!"',
  },
  {
    name: 'limits',
    channel: 'limits',
    title: 'Connection limit',
    summary:
      'Opens 8 streams one by one: over HTTP/1.1 the 7th stays CONNECTING (6 connections per host); over --http2 all 8 open.',
    tryCommand: 'open limits',
  },
  {
    name: 'inspector',
    channel: 'inspector',
    title: 'Inspector',
    summary: "readyState as it changes, every event's type, data and lastEventId, and what each error means.",
    tryCommand: 'respond 204',
  },
];

/** The page `open` shows when no page is named: the Racket SSE example. */
export const DEFAULT_PAGE_NAME = 'textarea';

/** The page called `name`, or undefined (names are case-sensitive, as URL paths are). */
export function findPage(name: string): PageInfo | undefined {
  return PAGES.find((page) => page.name === name);
}
