import { createSseClient, describeNonEventSourceRequest, readRequestBodyFile } from '../client/index.js';
import type { SseClient } from '../client/index.js';
import { formatDuration, preview } from './format.js';
import type { LogKind, RemoteStreamInfo } from './types.js';

export interface RemoteViewerOptions {
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly lastEventId?: string;
  readonly method?: string;
  /** The request body, or the file to read it from. */
  readonly body?: { readonly text: string } | { readonly file: string };
  readonly insecure?: boolean;
  /** Reconnect after a non-GET request too. */
  readonly reconnect?: boolean;
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
  let closed = false;
  // True while the body file is read, before the client exists.
  let pending = options.body !== undefined && 'file' in options.body;
  const remote = (text: string, fields: Record<string, unknown>, kind: LogKind = 'remote') =>
    log(kind, `remote ${text}`, { ...fields, remote: url });

  log('remote', `remote connecting to ${url}`, { type: 'remote-connecting', remote: url });
  const method = options.method ?? 'GET';

  const start = (body: string | Uint8Array | undefined): void => {
    pending = false;
    if (closed) return;
    const notice = describeNonEventSourceRequest(method, body !== undefined);
    const reconnect = options.reconnect === true || method.toUpperCase() === 'GET';
    if (notice !== undefined) {
      remote(`note: ${notice}; ${reconnect ? 'reconnecting is on (--reconnect)' : 'no reconnect when it ends (--reconnect turns it on)'}`, { type: 'remote-notice' }, 'warn');
    }
    try {
      client = open(body, reconnect);
    } catch (error) {
      remote(error instanceof Error ? error.message : String(error), { type: 'remote-error', code: 'invalid-request', fatal: true }, 'error');
    }
    changed();
  };

  const open = (body: string | Uint8Array | undefined, reconnect: boolean): SseClient => createSseClient({
    url,
    headers: Object.fromEntries(options.headers),
    ...(options.lastEventId === undefined ? {} : { lastEventId: options.lastEventId }),
    method,
    ...(body === undefined ? {} : { body }),
    insecure: options.insecure === true,
    reconnect,
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

  const { body } = options;
  if (body !== undefined && 'file' in body) {
    readRequestBodyFile(body.file).then(start, (error: unknown) => {
      pending = false;
      if (closed) return;
      remote(error instanceof Error ? error.message : String(error), { type: 'remote-error', code: 'body-file', fatal: true }, 'error');
      changed();
    });
  } else {
    start(body?.text);
  }

  return {
    info() {
      return { url, state: client?.state ?? (pending ? 'connecting' : 'closed'), events };
    },
    close() {
      closed = true;
      client?.close();
      client = undefined;
    },
  };
}
