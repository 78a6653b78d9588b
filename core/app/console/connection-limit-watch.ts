import type { Sse } from '../../index.js';
import type { LogRecord } from './log-records.js';
import type { LogKind } from './types.js';

/**
The most common SSE surprise: over HTTP/1.1 a browser opens at most 6 connections per
host, and every open EventSource holds one. A seventh tab loads its page (the page
server is another host:port) but its stream waits, silently, for one of the six to
close. This watch notices it: a page loaded, no stream from that address arrived
within `waitMs`, and one browser there already holds `limit` streams. A page that
opens several streams itself (the limits demo opens 8) is watched the same way: once
its streams stop arriving for `waitMs`, fewer than it opens came, and the browser
holds `limit`, the log says which of its streams wait and why.
*/

interface PageLoad {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly remoteAddress: string;
}

export interface ConnectionLimitWatch {
  /** A page-server request; HTML pages start the wait for their stream. */
  pageLoaded(request: PageLoad): void;
  stop(): void;
}

export interface ConnectionLimitWatchOptions {
  readonly sse: Pick<Sse, 'connections' | 'subscribe'>;
  readonly log: (kind: LogKind, text: string, fields?: LogRecord) => void;
  /** Default 3000 ms. */
  readonly waitMs?: number;
  /** Connections per host a browser opens over HTTP/1.1. Default 6. */
  readonly limit?: number;
  /** One note per address at most this often. Default 10 s. */
  readonly quietMs?: number;
  /** Demo pages that open several streams, by path (no `.html`): how many. Default: the limits demo's 8. */
  readonly streamsPerPage?: Readonly<Record<string, number>>;
  readonly now?: () => number;
}

/** The limits demo opens this many EventSources (MAX_STREAMS in demo-pages/assets/limits.js). */
const defaultStreamsPerPage: Readonly<Record<string, number>> = { '/limits': 8 };

/** `7 and 8`, `8`, `5–8`: the stream numbers from `first` to `last`. */
function streamNumbers(first: number, last: number): string {
  if (first === last) return `stream ${first}`;
  if (last === first + 1) return `streams ${first} and ${last}`;
  return `streams ${first}–${last}`;
}

/** A demo page that opens a stream (`/textarea`, `/clock.html`): not the index, an asset, the config or a POST. */
function isPage(request: PageLoad): boolean {
  if (request.method !== 'GET' || request.status !== 200) return false;
  const path = request.path.split('?')[0] ?? '';
  if (path === '/' || path === '/index' || path === '/index.html') return false;
  if (path.startsWith('/assets/') || path === '/favicon.ico') return false;
  return path.endsWith('.html') || !path.slice(1).includes('.');
}

export function createConnectionLimitWatch(options: ConnectionLimitWatchOptions): ConnectionLimitWatch {
  const {
    sse,
    log,
    waitMs = 3000,
    limit = 6,
    quietMs = 10_000,
    now = Date.now,
    streamsPerPage = defaultStreamsPerPage,
  } = options;
  const timers = new Set<NodeJS.Timeout>();
  /**
  Page loads and stream arrivals are numbered in the order they happen (a clock in
  milliseconds would call two of them simultaneous): the last stream from each address.
  */
  let order = 0;
  const lastStreamAt = new Map<string, number>();
  const lastNoteAt = new Map<string, number>();
  /** Pages that open several streams, waiting for theirs: each arrival from the address counts and restarts the wait. */
  const severalStreams = new Set<{
    readonly request: PageLoad;
    readonly expected: number;
    arrived: number;
    timer: NodeJS.Timeout;
  }>();
  const unsubscribe = sse.subscribe((event) => {
    if (event.type !== 'connected') return;
    const address = event.info.remoteAddress;
    lastStreamAt.set(address, ++order);
    for (const page of severalStreams) {
      if (page.request.remoteAddress !== address) continue;
      page.arrived += 1;
      page.timer.refresh();
    }
  });

  /** The most streams one browser at `address` holds (same address and user agent), over HTTP/1.1. */
  function heldByOneBrowser(address: string): number {
    const perBrowser = new Map<string, number>();
    for (const connection of sse.connections.map((open) => open.info())) {
      if (connection.remoteAddress !== address || connection.protocol === 'h2') continue;
      perBrowser.set(connection.userAgent, (perBrowser.get(connection.userAgent) ?? 0) + 1);
    }
    return Math.max(0, ...perBrowser.values());
  }

  function quiet(address: string): boolean {
    return now() - (lastNoteAt.get(address) ?? Number.NEGATIVE_INFINITY) < quietMs;
  }

  /** A page that opens several streams got fewer than it opens, and the browser is at the limit: say which wait. */
  function checkSeveral(request: PageLoad, expected: number, arrived: number): void {
    const address = request.remoteAddress;
    if (arrived === 0 || arrived >= expected || quiet(address)) return;
    const most = heldByOneBrowser(address);
    if (most < limit) return;
    lastNoteAt.set(address, now());
    const waiting = streamNumbers(arrived + 1, expected);
    log(
      'warn',
      `${request.path} opened ${arrived} of its ${expected} streams; ${waiting} ${expected - arrived === 1 ? 'has' : 'have'} not arrived ${Math.round(waitMs / 1000)} s later: ` +
        `that browser holds ${most} streams, and over HTTP/1.1 a browser opens at most ${limit} connections per host, ` +
        `so ${waiting} ${expected - arrived === 1 ? 'stays' : 'stay'} CONNECTING until one closes. ` +
        `Over HTTP/2 (sse-console --http2) all ${expected} share one connection and open.`,
      { type: 'connection-limit', remoteAddress: address, streams: most, path: request.path },
    );
  }

  function check(request: PageLoad, loadedAt: number): void {
    const address = request.remoteAddress;
    // A stream that arrived after the page may be its own: nothing to explain.
    if ((lastStreamAt.get(address) ?? 0) > loadedAt) return;
    if (quiet(address)) return;
    const most = heldByOneBrowser(address);
    if (most < limit) return;
    lastNoteAt.set(address, now());
    log(
      'warn',
      `${request.path} loaded ${Math.round(waitMs / 1000)} s ago but its stream has not arrived: that browser already holds ${most} streams, ` +
        `and over HTTP/1.1 a browser opens at most ${limit} connections per host, so the new EventSource waits for one to close. ` +
        'Close some tabs (or `close all`: tabs reconnect one at a time); over HTTP/2 the limit is far higher.',
      { type: 'connection-limit', remoteAddress: address, streams: most, path: request.path },
    );
  }

  return {
    pageLoaded(request) {
      if (!isPage(request)) return;
      const expected = streamsPerPage[(request.path.split('?')[0] ?? '').replace(/\.html$/, '')];
      if (expected !== undefined && expected > 1) {
        const page = {
          request,
          expected,
          arrived: 0,
          timer: setTimeout(() => {
            severalStreams.delete(page);
            checkSeveral(request, expected, page.arrived);
          }, waitMs),
        };
        page.timer.unref();
        severalStreams.add(page);
      }
      const loadedAt = ++order;
      const timer = setTimeout(() => {
        timers.delete(timer);
        check(request, loadedAt);
      }, waitMs);
      timer.unref();
      timers.add(timer);
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const page of severalStreams) clearTimeout(page.timer);
      severalStreams.clear();
      unsubscribe();
    },
  };
}
