import { createSseClient } from '../client/index.js';
import type { SseClient } from '../client/index.js';
import { formatDuration, preview } from './format.js';
import type { LogKind, RemoteStreamInfo } from './types.js';

export interface RemoteViewerOptions {
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly lastEventId?: string;
  readonly log: (kind: LogKind, text: string, fields?: Readonly<Record<string, unknown>>) => void;
  /** Tells the controller the remote state changed. */
  readonly changed: () => void;
}

export interface RemoteViewer {
  info(): RemoteStreamInfo;
  close(): void;
}

/**
The console's `connect URL`: a client on another stream whose events go to the log
beside the local stream's, so a user can compare what their own server sends.
*/
export function createRemoteViewer(options: RemoteViewerOptions): RemoteViewer {
  const { url, log, changed } = options;
  let events = 0;
  let client: SseClient | undefined;
  const remote = (text: string, fields: Record<string, unknown>, kind: LogKind = 'remote') =>
    log(kind, `remote ${text}`, { ...fields, remote: url });

  log('remote', `remote connecting to ${url}`, { type: 'remote-connecting', remote: url });
  client = createSseClient({
    url,
    headers: Object.fromEntries(options.headers),
    ...(options.lastEventId === undefined ? {} : { lastEventId: options.lastEventId }),
    onConnect(info) {
      remote(`open: ${info.status} ${info.statusText}${info.redirected ? ` (redirected to ${info.url})` : ''}${info.lastEventIdSent ? `, sent Last-Event-ID ${JSON.stringify(info.lastEventIdSent)}` : ''}`, {
        type: 'remote-open',
        status: info.status,
        attempt: info.attempt,
      });
      for (const warning of info.warnings) remote(`${warning.level}: ${warning.message}`, { type: 'remote-warning', code: warning.code }, 'warn');
      changed();
    },
    onEvent(event) {
      events += 1;
      const id = event.id === undefined ? `lastEventId ${JSON.stringify(event.lastEventId)}` : `id ${JSON.stringify(event.id)}`;
      remote(`event ${event.event} ${id} ${JSON.stringify(preview(event.data))}`, {
        type: 'remote-event',
        event: event.event,
        data: event.data,
        id: event.id ?? null,
        lastEventId: event.lastEventId,
      });
      changed();
    },
    onComment(comment) {
      remote(`comment ${JSON.stringify(preview(comment))}`, { type: 'remote-comment', text: comment });
    },
    onRetry(retryMs) {
      remote(`retry set to ${formatDuration(retryMs)}`, { type: 'remote-retry', retryMs });
    },
    onIgnoredLine(ignored) {
      remote(`ignored: ${ignored.message}`, { type: 'remote-ignored', line: ignored.line }, 'warn');
    },
    onError(error) {
      remote(error.message, { type: 'remote-error', code: error.code, status: error.status ?? null, fatal: error.fatal }, error.fatal ? 'error' : 'warn');
      changed();
    },
    onReconnecting(info) {
      remote(`reconnecting in ${formatDuration(info.delayMs)} (${info.reason})${info.lastEventId ? ` with Last-Event-ID ${JSON.stringify(info.lastEventId)}` : ''}`, {
        type: 'remote-reconnecting',
        delayMs: info.delayMs,
        attempt: info.attempt,
      });
      changed();
    },
    onClose(info) {
      remote(`closed: ${info.message}`, { type: 'remote-closed', reason: info.reason });
      changed();
    },
  });

  return {
    info() {
      return { url, state: client?.state ?? 'closed', events };
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}
