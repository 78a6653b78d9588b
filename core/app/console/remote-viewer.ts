import type { SseClient, SseRejectedResponse } from '../../client/index.js';
import { displayUrl } from '../../index.js';
import { clipText, cutToWidth, FIELD_COLUMNS } from '../../terminal/terminal-text.js';
import { formatDuration, preview } from './format.js';
import type { LogRecord } from './log-records.js';
import type { LogEntry, LogKind, RemoteStreamInfo } from './types.js';
import { errorMessage } from './error-message.js';
import { describeNonEventSourceRequest } from '../connect/non-event-source-request.js';
import { readRequestBodyFile } from '../connect/read-request-body-file.js';
import type { ConnectCommand } from './commands/connect.js';

/**
Most characters of one server-chosen string kept in a log entry's fields (for
`--json`); the data of an event gets more. Anything longer is cut and the number of
characters left out is given beside it, so a hostile stream cannot make the console
hold, or a script parse, an unbounded line.
*/
const FIELD_CHARS = 4096;
const DATA_CHARS = 256 * 1024;

/**
True for a log line whose content (and rate) a remote server decides: it goes through
the log budget like activity, whatever its kind, so a server cannot flood the screen
or the output with warnings.
*/
export function isRemoteControlled(entry: Pick<LogEntry, 'fields'>): boolean {
  return typeof entry.fields?.['remote'] === 'string';
}

/** A server-chosen value for a log line: cut to a field's budget, JSON-quoted (the writer escapes the rest). */
function quoted(text: string): string {
  return JSON.stringify(cutToWidth(text, FIELD_COLUMNS));
}

/** What `connect URL …` asked for (core/app/console/commands/connect.ts), and where to log. */
export interface RemoteViewerOptions extends Omit<ConnectCommand, 'name'> {
  readonly log: (kind: LogKind, text: string, fields?: LogRecord) => void;
  /** Tells the controller the remote state changed. */
  readonly changed: () => void;
}

export interface RemoteViewer {
  info(): RemoteStreamInfo;
  close(): void;
}

type ClientModule = typeof import('../../client/index.js');
let clientModule: Promise<ClientModule> | undefined;

/**
The client (with its HTTP stack, undici) is loaded on the first `connect`, not when
the console starts: it is most of the console's code, and most sessions never use it.
*/
function loadClient(): Promise<ClientModule> {
  clientModule ??= import('../../client/index.js');
  return clientModule;
}

/**
The console's `connect URL`: a client on another stream whose events go to the log
beside the local stream's, so a user can compare what their own server sends.
*/
export function createRemoteViewer(options: RemoteViewerOptions): RemoteViewer {
  const { url, log, changed } = options;
  // Shown everywhere (log, status line, --json) with a token or password as ***.
  const shownUrl = displayUrl(url);
  let events = 0;
  let client: SseClient | undefined;
  let closed = false;
  // True until the client module is loaded and the body file (if any) read.
  let pending = true;
  const remote = (text: string, fields: LogRecord, kind: LogKind = 'remote') =>
    log(kind, `remote ${text}`, { ...fields, remote: shownUrl });
  const fail = (error: unknown, code: string): void => {
    pending = false;
    if (closed) return;
    remote(errorMessage(error), { type: 'remote-error', code, fatal: true }, 'error');
    changed();
  };

  remote(`connecting to ${cutToWidth(shownUrl, FIELD_COLUMNS)}`, { type: 'remote-connecting' });
  const method = options.method ?? 'GET';

  const start = (clientApi: ClientModule, body: string | Uint8Array | undefined): void => {
    pending = false;
    if (closed) return;
    const notice = describeNonEventSourceRequest(method, body !== undefined);
    const reconnect = options.reconnect === true || method.toUpperCase() === 'GET';
    if (notice !== undefined) {
      remote(
        `note: ${notice}; ${reconnect ? 'reconnecting is on (--reconnect)' : 'no reconnect when it ends (--reconnect turns it on)'}`,
        { type: 'remote-notice' },
        'warn',
      );
    }
    try {
      client = open(clientApi, body, reconnect);
    } catch (error) {
      fail(error, 'invalid-request');
      return;
    }
    changed();
  };

  /**
  What the server answered instead of a stream, before the error that says why: the
  status, the headers as fields, and the body as the log wraps it (cut at the line's
  budget by the controller, the rest counted), as `sse-console connect` shows it.
  */
  const logResponse = (response: SseRejectedResponse): void => {
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers.slice(0, 64)) {
      headers[clipText(name, FIELD_CHARS).text] = clipText(value, FIELD_CHARS).text;
    }
    const body = clipText(response.body, DATA_CHARS);
    const type = response.headers.find(([name]) => name === 'content-type')?.[1];
    const size = `${response.bodyBytes} byte${response.bodyBytes === 1 ? '' : 's'}${response.bodyEnd === 'complete' ? '' : ` read (${response.bodyEnd})`}`;
    remote(
      `response ${response.status} ${cutToWidth(response.statusText, FIELD_COLUMNS)}${type === undefined ? '' : `, ${cutToWidth(type, FIELD_COLUMNS)}`}, ${size}: ${response.body === '' ? '(empty body)' : response.body}`,
      {
        type: 'remote-response',
        status: response.status,
        headers,
        body: body.text,
        bodyOmitted: body.omitted,
        bodyEnd: response.bodyEnd,
      },
    );
  };

  const open = (clientApi: ClientModule, body: string | Uint8Array | undefined, reconnect: boolean): SseClient =>
    clientApi.createSseClient({
      url,
      headers: Object.fromEntries(options.headers),
      ...(options.lastEventId === undefined ? {} : { lastEventId: options.lastEventId }),
      method,
      ...(body === undefined ? {} : { body }),
      insecure: options.insecure === true,
      reconnect,
      onConnect(info) {
        const redirect = info.redirected ? ` (redirected to ${cutToWidth(displayUrl(info.url), FIELD_COLUMNS)})` : '';
        const resume = info.lastEventIdSent ? `, sent Last-Event-ID ${quoted(info.lastEventIdSent)}` : '';
        remote(`open: ${info.status} ${cutToWidth(info.statusText, FIELD_COLUMNS)}${redirect}${resume}`, {
          type: 'remote-open',
          status: info.status,
          attempt: info.attempt,
        });
        for (const warning of info.warnings)
          remote(`${warning.level}: ${warning.message}`, { type: 'remote-warning', code: warning.code }, 'warn');
        changed();
      },
      onEvent(event) {
        events += 1;
        const id = event.id === undefined ? `lastEventId ${quoted(event.lastEventId)}` : `id ${quoted(event.id)}`;
        const data = clipText(event.data, DATA_CHARS);
        // The data in full, as `sse-console connect` shows it: the log wraps it, and the
        // controller cuts the whole line at its display budget and counts the rest.
        const shownData = event.data === '' ? '(empty data)' : event.data;
        remote(`event ${cutToWidth(event.event, FIELD_COLUMNS)} ${id}: ${shownData}`, {
          type: 'remote-event',
          event: clipText(event.event, FIELD_CHARS).text,
          data: data.text,
          dataOmitted: data.omitted,
          id: event.id === undefined ? null : clipText(event.id, FIELD_CHARS).text,
          lastEventId: clipText(event.lastEventId, FIELD_CHARS).text,
        });
        changed();
      },
      onIdOnly(id) {
        remote(
          id === ''
            ? 'id "" (a block with only an id: no event fires; the last event ID is cleared)'
            : `id ${quoted(id)} (a block with only an id: no event fires; the last event ID is now this id)`,
          { type: 'remote-id', id: clipText(id, FIELD_CHARS).text },
        );
      },
      onComment(comment) {
        remote(`comment ${JSON.stringify(preview(comment))}`, {
          type: 'remote-comment',
          comment: clipText(comment, FIELD_CHARS).text,
        });
      },
      onRetry(retryMs) {
        remote(`retry set to ${formatDuration(retryMs)}`, { type: 'remote-retry', retryMs });
      },
      onIgnoredLine(ignored) {
        remote(
          `ignored: ${ignored.message}`,
          { type: 'remote-ignored', line: clipText(ignored.line, FIELD_CHARS).text },
          'warn',
        );
      },
      onError(error) {
        if (error.response !== undefined) logResponse(error.response);
        remote(
          error.message,
          { type: 'remote-error', code: error.kind, status: error.status ?? null, fatal: error.fatal },
          error.fatal ? 'error' : 'warn',
        );
        changed();
      },
      onReconnecting(info) {
        remote(
          `reconnecting in ${formatDuration(info.delayMs)} (${info.reason})${info.lastEventId ? ` with Last-Event-ID ${quoted(info.lastEventId)}` : ''}`,
          {
            type: 'remote-reconnecting',
            delayMs: info.delayMs,
            attempt: info.attempt,
          },
        );
        changed();
      },
      onClose(info) {
        remote(`closed: ${info.message}`, { type: 'remote-closed', reason: info.reason });
        changed();
      },
    });

  const { body } = options;
  loadClient().then(
    (clientApi) => {
      if (body !== undefined && 'file' in body) {
        readRequestBodyFile(body.file).then(
          (bytes) => start(clientApi, bytes),
          (error: unknown) => fail(error, 'body-file'),
        );
      } else {
        start(clientApi, body?.text);
      }
    },
    (error: unknown) => fail(error, 'client-load'),
  );

  return {
    info() {
      return { url: shownUrl, state: client?.state ?? (pending ? 'connecting' : 'closed'), events };
    },
    close() {
      closed = true;
      client?.close();
      client = undefined;
    },
  };
}
