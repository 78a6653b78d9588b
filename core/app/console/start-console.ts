import { join } from 'node:path';
import {
  createSse,
  type Sse,
  SSE_DEFAULTS,
  type SseServer,
  startSseServer,
  type TlsCredentials,
  urlHost,
} from '../../index.js';
import { findDemoPagesDir } from '../pages/demo-pages-dir.js';
import { startPageServer } from '../pages/page-server.js';
import { createConnectionLimitWatch } from './connection-limit-watch.js';
import { createChannelSet, everyStream, type ChannelSet } from './channels.js';
import { announceConnectionNumbers } from './connection-number-event.js';
import { createConsoleController } from './create-console-controller.js';
import { loadProblemNotes, restoredNote } from './history-notes.js';
import type { ConsoleController, LogKind } from './types.js';
import { openConsoleStores } from './open-console-stores.js';
import { heldEvents, type ConsoleStores } from './console-store.js';

export interface StartConsoleOptions {
  /** SSE listener port; default 8122 (the Racket example's). 0 picks a free one. */
  readonly ssePort?: number;
  /** Page listener port; default 8080. 0 picks a free one. */
  readonly pagePort?: number;
  /** Interface both listeners bind; default 127.0.0.1 (this machine only). */
  readonly host?: string;
  /** Fail when a port is busy instead of moving to the next free one. */
  readonly strictPort?: boolean;
  readonly historyLimit?: number;
  /** Bytes of encoded events kept for replay, beside `historyLimit`. */
  readonly historyMaxBytes?: number;
  readonly heartbeatMs?: number;
  /** Origins allowed besides the demo pages' own; '*' allows any. */
  readonly corsOrigins?: readonly string[] | '*';
  readonly token?: string;
  readonly maxConnections?: number;
  /** JSON Lines file that keeps the replay log across runs. */
  readonly historyFile?: string;
  /**
  The stores the streams keep their logs in, opened by the caller (`--redis`); the
  console closes them when it stops. Default: memory, or `historyFile`.
  */
  readonly stores?: ConsoleStores;
  readonly openUrl?: (url: string) => Promise<void> | void;
  /** Serve the stream and the pages over HTTP/2 with TLS, with this key and certificate (`--http2`). */
  readonly http2?: TlsCredentials;
  /** How the console was started (`npm start --`, `npx sse-console` …), for the pages' copyable commands. */
  readonly launchCommand?: string;
  /** Notes from before the start (the certificate's), shown first. */
  readonly notes?: readonly { readonly kind: LogKind; readonly text: string }[];
}

export interface RunningConsole {
  readonly controller: ConsoleController;
  readonly sse: Sse;
  /** The SSE listener (its port, url and `stop()`), for the REPL. */
  readonly server: SseServer;
  /** The main stream and the channels, for the REPL's `channel(name)`. */
  readonly channels: ChannelSet;
  readonly sseUrl: string;
  readonly pagesUrl: string;
  /** Start-up notes for the user: moved ports, exposure warnings, history-file problems. */
  readonly notes: readonly { readonly kind: LogKind; readonly text: string }[];
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

/** The shipped lesson scripts, beside the demo pages (they ship in the same folder). */
export function lessonsDir(): string {
  return join(findDemoPagesDir(), 'lessons');
}

/**
Starts everything `sse-console` runs: the stream, its listener, the page listener and
the controller that commands drive. The TUI and line mode differ only in the view.
*/
export async function startConsole(options: StartConsoleOptions = {}): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  const portFallback = !options.strictPort;
  const notes: { kind: LogKind; text: string }[] = [...(options.notes ?? [])];

  const historyLimit = options.historyLimit ?? SSE_DEFAULTS.historyLimit;
  const historyMaxBytes = options.historyMaxBytes ?? SSE_DEFAULTS.historyMaxBytes;
  let controller: ConsoleController | undefined;
  const stores =
    options.stores ??
    openConsoleStores({
      historyLimit,
      historyMaxBytes,
      ...(options.historyFile === undefined ? {} : { historyFile: options.historyFile }),
    });

  // The demo pages' origin is known only once their port is chosen, so the allowed
  // origins are a live list that the page listener's origins are added to below.
  const allowedOrigins: string[] | '*' = options.corsOrigins === '*' ? '*' : [...(options.corsOrigins ?? [])];
  // One counter for the main stream and every channel, so `close 3` names one connection.
  let lastConnectionId = 0;
  const shared = {
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    corsOrigins: allowedOrigins,
    connectionIds: () => ++lastConnectionId,
    // The reconnect demo page asks its stream to hang up with ?closeAfter=N (cl-sse).
    closeAfterQuery: true,
  };
  const sse = createSse({ ...shared, store: stores.main });
  if (stores.asynchronous) {
    // A shared log's feed starts once the stream follows it, a moment later; a read
    // waits for it. Before that, an event stored here would reach only other processes.
    await heldEvents(stores.main).catch(() => undefined);
  }

  const { file } = stores;
  if (file !== undefined && options.historyFile !== undefined) {
    notes.push(...loadProblemNotes(options.historyFile, { records: sse.history, problems: file.problems }));
    if (file.existed) notes.push(restoredNote(options.historyFile, file.eventsInFile, sse.history.length));
  }

  // Channels (/events/NAME) are made on first use; only the main stream is kept in --history-file.
  const channels = createChannelSet(sse, (name) =>
    createSse({ ...shared, channel: name, store: stores.channel(name) }),
  );
  // A page that adds ?announce to its stream URL is told its connection's number first.
  const stopAnnouncing = [announceConnectionNumbers(sse)];
  channels.onAdded((_name, channel) => stopAnnouncing.push(announceConnectionNumbers(channel)));

  let sseServer: Awaited<ReturnType<typeof startSseServer>> | undefined;
  let pageServer: Awaited<ReturnType<typeof startPageServer>> | undefined;
  const limitWatch = createConnectionLimitWatch({
    // Most demo pages listen on a channel: a browser's six streams may be on any of them.
    sse: everyStream(channels),
    log: (kind, text, fields) => controller?.log(kind, text, fields),
  });
  const stopServers = async (): Promise<void> => {
    limitWatch.stop();
    for (const unsubscribe of stopAnnouncing) unsubscribe();
    sse.stop();
    channels.stopChannels();
    await Promise.all([sseServer?.stop(), pageServer?.stop()]);
    await stores.close();
  };

  try {
    sseServer = await startSseServer(options.ssePort ?? 8122, sse, {
      host,
      portFallback,
      ...(options.http2 === undefined ? {} : { http2: options.http2 }),
      channels: (name) => {
        const channel = channels.ensure(name);
        // The reason goes into the 404 answer as a sentence of its own.
        return channel.ok ? channel.sse : `${channel.error.charAt(0).toUpperCase()}${channel.error.slice(1)}.`;
      },
    });
    const sseUrl = `${sseServer.url}events`;
    pageServer = await startPageServer({
      port: options.pagePort ?? 8080,
      host,
      sse,
      sseUrl,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.launchCommand === undefined ? {} : { launchCommand: options.launchCommand }),
      portFallback,
      corsOrigins: allowedOrigins,
      ...(options.http2 === undefined ? {} : { http2: options.http2 }),
      onRequest: (entry) => {
        limitWatch.pageLoaded(entry);
        // Each tab fetches several assets; logging them would bury the requests that
        // teach something (pages, config, the toggles POSTs, and every failure).
        if (entry.status < 400 && (entry.path.startsWith('/assets/') || entry.path === '/favicon.ico')) return;
        const why = entry.reason === undefined ? '' : `: ${entry.reason}`;
        controller?.log('page', `${entry.method} ${entry.path} ${entry.status} from ${entry.remoteAddress}${why}`, {
          type: 'page',
          ...entry,
        });
      },
    });
    if (allowedOrigins !== '*') {
      for (const name of new Set([urlHost(host), '127.0.0.1', 'localhost'])) {
        allowedOrigins.push(`${new URL(pageServer.url).protocol}//${name}:${pageServer.port}`);
      }
    }
    for (const [what, server] of [
      ['SSE stream', sseServer],
      ['demo pages', pageServer],
    ] as const) {
      if (server.port !== server.requestedPort && server.requestedPort !== 0) {
        notes.push({
          kind: 'warn',
          text: `port ${server.requestedPort} was busy; the ${what} moved to port ${server.port} (--strict-port refuses instead)`,
        });
      }
    }
    if (!loopbackHosts.has(host)) {
      notes.push({
        kind: 'warn',
        text: `listening on ${host}: other machines that can reach it can read the stream and the pages${options.token === undefined ? ' (no --token set: anyone can connect and toggle)' : ''}`,
      });
    }
    const pagesUrl = pageServer.url;
    controller = createConsoleController({
      sse,
      sseUrl,
      pagesUrl,
      pages: pageServer.pages,
      ...(options.openUrl ? { openUrl: options.openUrl } : {}),
      stores,
      historyLimit,
      stopServers,
      lessonsDir: lessonsDir(),
      channels,
    });
    return { controller, sse, server: sseServer, channels, sseUrl, pagesUrl, notes };
  } catch (error) {
    await stopServers();
    throw error;
  }
}
