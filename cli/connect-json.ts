import type {
  SseClientError,
  SseClientEvent,
  SseConnectInfo,
  SseIgnoredLine,
  SseReconnectInfo,
  SseRejectedResponse,
} from '../core/client/index.js';
import type { RequestSemantics } from '../core/app/connect/non-event-source-request.js';
import { displayUrl } from '../core/index.js';
import { clipText, JSON_DATA_CHARS, JSON_FIELD_CHARS, terminalJson } from '../core/terminal/terminal-text.js';

/**
`--json` output: one object per line (NDJSON), each with a `type` and an ISO `time`.
Optional values are `null` rather than missing, so every record of a type has the
same keys. Lines are written with `terminalJson`: valid JSON that no terminal acts on
(C1 controls and bidi marks as \uXXXX too). An event's data beyond 16 Mi characters,
and a name or id beyond 1 Mi, is cut; `dataOmitted` says how many characters were
left out (0 when none), so one record can always be written.
*/

const DATA_CHARS = JSON_DATA_CHARS;
const FIELD_CHARS = JSON_FIELD_CHARS;

export type ConnectEndReason = 'max-events' | 'timeout' | 'interrupted' | 'failed' | 'ended' | 'output-closed';

export type ConnectJsonRecord =
  | {
      type: 'open';
      time: string;
      url: string;
      redirected: boolean;
      status: number;
      statusText: string;
      headers: Record<string, string>;
      warnings: { code: string; level: string; message: string }[];
      attempt: number;
      lastEventIdSent: string | null;
    }
  | {
      type: 'event';
      time: string;
      event: string;
      data: string;
      dataOmitted: number;
      id: string | null;
      lastEventId: string;
    }
  /**
  A response the client refused (not 200, or not text/event-stream), before the error
  that ends the run: `semantics` says whose rules the request follows (`eventsource`
  for a plain GET: a page sees only an error event; `fetch` otherwise: a page reads
  all of this). `body` is what was read of it (at most 64 KiB) and `bodyEnd` why
  reading stopped: complete, limit, timeout (2 s) or error.
  */
  | {
      type: 'response';
      time: string;
      semantics: RequestSemantics;
      url: string;
      redirected: boolean;
      status: number;
      statusText: string;
      headers: Record<string, string>;
      body: string;
      bodyBytes: number;
      bodyEnd: SseRejectedResponse['bodyEnd'];
    }
  /**
  Written once per connection, just before its first event record: `ms` from sending the
  request to that event (what a chat UI makes its user wait), `openMs` from the request
  to the 200 response. A reconnect's request is counted from when its wait ended.
  */
  | { type: 'first-event'; time: string; attempt: number; ms: number; openMs: number }
  /** A block with only an `id:` field: no event fires, but the last event ID becomes `id` ("" clears it). */
  | { type: 'id'; time: string; id: string }
  | { type: 'comment'; time: string; text: string }
  /** Something about the request itself (a method EventSource cannot use …). */
  | { type: 'notice'; time: string; message: string }
  | { type: 'retry'; time: string; retryMs: number }
  | { type: 'ignored'; time: string; reason: string; field: string | null; line: string; message: string }
  | {
      type: 'error';
      time: string;
      code: string;
      message: string;
      fatal: boolean;
      status: number | null;
      cause: string | null;
    }
  | {
      type: 'reconnecting';
      time: string;
      delayMs: number;
      /** The reconnection time; delayMs is larger when raised to the floor. */
      retryMs: number;
      /** Where the request goes (after a redirect, the redirected URL). */
      url: string;
      attempt: number;
      lastEventId: string;
      reason: string;
    }
  | { type: 'bytes'; time: string; length: number; text: string; base64: string }
  | { type: 'closed'; time: string; reason: ConnectEndReason; message: string; events: number; exitCode: number };

/** Headers as one object; a repeated name's values joined with ", " as fetch does. */
function joinHeaders(list: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of list) {
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

export function openRecord(info: SseConnectInfo): ConnectJsonRecord {
  const headers = joinHeaders(info.headers);
  return {
    type: 'open',
    time: info.time.toISOString(),
    url: displayUrl(info.url),
    redirected: info.redirected,
    status: info.status,
    statusText: clipText(info.statusText, FIELD_CHARS).text,
    headers,
    warnings: info.warnings.map(({ code, level, message }) => ({ code, level, message })),
    attempt: info.attempt,
    lastEventIdSent: info.lastEventIdSent ?? null,
  };
}

export function responseRecord(
  response: SseRejectedResponse,
  semantics: RequestSemantics,
  time: Date,
): ConnectJsonRecord {
  return {
    type: 'response',
    time: time.toISOString(),
    semantics,
    url: displayUrl(response.url),
    redirected: response.redirected,
    status: response.status,
    statusText: clipText(response.statusText, FIELD_CHARS).text,
    headers: joinHeaders(response.headers),
    body: response.body,
    bodyBytes: response.bodyBytes,
    bodyEnd: response.bodyEnd,
  };
}

export function eventRecord(event: SseClientEvent): ConnectJsonRecord {
  const data = clipText(event.data, DATA_CHARS);
  return {
    type: 'event',
    time: event.time.toISOString(),
    event: clipText(event.event, FIELD_CHARS).text,
    data: data.text,
    dataOmitted: data.omitted,
    id: event.id === undefined ? null : clipText(event.id, FIELD_CHARS).text,
    lastEventId: clipText(event.lastEventId, FIELD_CHARS).text,
  };
}

export function idOnlyRecord(id: string, time: Date): ConnectJsonRecord {
  return { type: 'id', time: time.toISOString(), id: clipText(id, FIELD_CHARS).text };
}

export function commentRecord(text: string, time: Date): ConnectJsonRecord {
  return { type: 'comment', time: time.toISOString(), text: clipText(text, FIELD_CHARS).text };
}

export function ignoredRecord(ignored: SseIgnoredLine): ConnectJsonRecord {
  return {
    type: 'ignored',
    time: ignored.time.toISOString(),
    reason: ignored.reason,
    field: ignored.field ?? null,
    line: clipText(ignored.line, FIELD_CHARS).text,
    message: clipText(ignored.message, FIELD_CHARS).text,
  };
}

export function errorRecord(error: SseClientError): ConnectJsonRecord {
  return {
    type: 'error',
    time: error.time.toISOString(),
    code: error.kind,
    message: error.message,
    fatal: error.fatal,
    status: error.status ?? null,
    cause: error.systemCode ?? null,
  };
}

export function reconnectingRecord(info: SseReconnectInfo): ConnectJsonRecord {
  return {
    type: 'reconnecting',
    time: info.time.toISOString(),
    delayMs: info.delayMs,
    retryMs: info.retryMs,
    url: info.url,
    attempt: info.attempt,
    lastEventId: info.lastEventId,
    reason: info.reason,
  };
}

export function bytesRecord(bytes: Uint8Array, time: Date): ConnectJsonRecord {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    type: 'bytes',
    time: time.toISOString(),
    length: bytes.byteLength,
    // Lossy for bytes that are not UTF-8; base64 is exact.
    text: buffer.toString('utf8'),
    base64: buffer.toString('base64'),
  };
}

export function toJsonLine(record: ConnectJsonRecord): string {
  return `${terminalJson(record)}\n`;
}
