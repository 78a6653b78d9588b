import type { Sse } from '../../stream/types.js';
import type { LogRecord } from './log-records.js';
import type { LogKind } from './types.js';

/**
The most common SSE surprise: over HTTP/1.1 a browser opens at most 6 connections per
host, and every open EventSource holds one. A seventh tab loads its page (the page
server is another host:port) but its stream waits, silently, for one of the six to
close. This watch notices it: a page loaded, no stream from that address arrived
within `waitMs`, and one browser there already holds `limit` streams.
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
  readonly now?: () => number;
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
  const { sse, log, waitMs = 3000, limit = 6, quietMs = 10_000, now = Date.now } = options;
  const timers = new Set<NodeJS.Timeout>();
  /**
  Page loads and stream arrivals are numbered in the order they happen (a clock in
  milliseconds would call two of them simultaneous): the last stream from each address.
  */
  let order = 0;
  const lastStreamAt = new Map<string, number>();
  const lastNoteAt = new Map<string, number>();
  const unsubscribe = sse.subscribe((event) => {
    if (event.type === 'connected') lastStreamAt.set(event.connection.remoteAddress, ++order);
  });

  function check(request: PageLoad, loadedAt: number): void {
    const address = request.remoteAddress;
    // A stream that arrived after the page may be its own: nothing to explain.
    if ((lastStreamAt.get(address) ?? 0) > loadedAt) return;
    if (now() - (lastNoteAt.get(address) ?? Number.NEGATIVE_INFINITY) < quietMs) return;
    // Streams from one browser: same address and user agent.
    const perBrowser = new Map<string, number>();
    for (const connection of sse.connections) {
      if (connection.remoteAddress !== address) continue;
      perBrowser.set(connection.userAgent, (perBrowser.get(connection.userAgent) ?? 0) + 1);
    }
    const most = Math.max(0, ...perBrowser.values());
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
      unsubscribe();
    },
  };
}
