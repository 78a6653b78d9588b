import type {
  SseClientError,
  SseClientEvent,
  SseConnectInfo,
  SseIgnoredLine,
  SseReconnectInfo,
  SseRejectedResponse,
} from '../core/client/index.js';
import type { RequestSemantics } from '../core/app/connect/non-event-source-request.js';
import {
  formatClock,
  formatClosed,
  formatComment,
  formatConnecting,
  formatError,
  formatEvent,
  formatFirstEvent,
  formatIdOnly,
  formatIgnoredLine,
  formatOpen,
  formatRawChunk,
  formatReconnecting,
  formatRejectedResponse,
  formatRetry,
} from './connect-format.js';
import type { FirstEventTiming } from './connect-format.js';
import {
  bytesRecord,
  commentRecord,
  errorRecord,
  eventRecord,
  idOnlyRecord,
  ignoredRecord,
  openRecord,
  reconnectingRecord,
  responseRecord,
  toJsonLine,
} from './connect-json.js';
import type { ConnectEndReason } from './connect-json.js';
import { createRawFormatter } from './connect-raw.js';
import type { Palette } from './connect-style.js';

interface ConnectEnd {
  readonly reason: ConnectEndReason;
  readonly message: string;
  readonly events: number;
  readonly exitCode: number;
}

/** Where each client callback's output goes: human lines or NDJSON, plus raw bytes. */
/** Closures, not methods: the client's callbacks take them as they are. */
export interface ConnectPrinter {
  readonly connecting: (url: string, lastEventId: string | undefined) => void;
  /** A line about the request itself (our own words, never the server's). */
  readonly notice: (message: string, time: Date) => void;
  readonly open: (info: SseConnectInfo) => void;
  /** A response the client refused, with the start of its body (before the error). */
  readonly rejected: (response: SseRejectedResponse, time: Date) => void;
  readonly event: (event: SseClientEvent) => void;
  /** A connection's first event arrived: the time to first event, before the event itself. */
  readonly firstEvent: (timing: FirstEventTiming) => void;
  /** A block with only an `id:`: no event, but the last event ID changes. */
  readonly idOnly: (id: string, time: Date) => void;
  readonly comment: (comment: string, time: Date) => void;
  readonly retry: (retryMs: number, time: Date) => void;
  readonly ignored: (ignored: SseIgnoredLine) => void;
  readonly error: (error: SseClientError) => void;
  readonly reconnecting: (info: SseReconnectInfo) => void;
  readonly bytes: (bytes: Uint8Array, time: Date) => void;
  readonly closed: (end: ConnectEnd) => void;
}

export function createConnectPrinter(options: {
  readonly write: (text: string) => void;
  readonly palette: Palette;
  readonly json: boolean;
  readonly raw: boolean;
  /** Whose rules the request follows: how a refused response is described. */
  readonly semantics: RequestSemantics;
}): ConnectPrinter {
  const { write, palette, raw, semantics } = options;
  if (options.json) {
    return {
      connecting: () => {},
      notice: (message, time) => write(toJsonLine({ type: 'notice', time: time.toISOString(), message })),
      open: (info) => write(toJsonLine(openRecord(info))),
      rejected: (response, time) => write(toJsonLine(responseRecord(response, semantics, time))),
      event: (event) => write(toJsonLine(eventRecord(event))),
      firstEvent: ({ time, attempt, ms, openMs }) =>
        write(toJsonLine({ type: 'first-event', time: time.toISOString(), attempt, ms, openMs })),
      idOnly: (id, time) => write(toJsonLine(idOnlyRecord(id, time))),
      comment: (text, time) => write(toJsonLine(commentRecord(text, time))),
      retry: (retryMs, time) => write(toJsonLine({ type: 'retry', time: time.toISOString(), retryMs })),
      ignored: (ignored) => write(toJsonLine(ignoredRecord(ignored))),
      error: (error) => write(toJsonLine(errorRecord(error))),
      reconnecting: (info) => write(toJsonLine(reconnectingRecord(info))),
      bytes: (bytes, time) => {
        if (raw) write(toJsonLine(bytesRecord(bytes, time)));
      },
      closed: (end) => write(toJsonLine({ type: 'closed', time: new Date().toISOString(), ...end })),
    };
  }

  const rawFormatter = createRawFormatter(palette);
  return {
    connecting: (url, lastEventId) => write(formatConnecting(url, lastEventId, palette)),
    notice: (message, time) => write(`${palette.dim(formatClock(time))} ${palette.yellow(`note: ${message}`)}\n`),
    open: (info) => {
      rawFormatter.reset();
      write(formatOpen(info, palette));
    },
    rejected: (response, time) => write(formatRejectedResponse(response, semantics, time, palette)),
    event: (event) => write(formatEvent(event, palette)),
    firstEvent: (timing) => write(formatFirstEvent(timing, palette)),
    idOnly: (id, time) => write(formatIdOnly(id, time, palette)),
    comment: (comment, time) => write(formatComment(comment, time, palette)),
    retry: (retryMs, time) => write(formatRetry(retryMs, time, palette)),
    ignored: (ignored) => write(formatIgnoredLine(ignored, palette)),
    error: (error) => write(formatError(error, palette)),
    reconnecting: (info) => {
      // The next response starts afresh (a refused one's bytes are shown too).
      rawFormatter.reset();
      write(formatReconnecting(info, palette));
    },
    bytes: (bytes, time) => {
      if (raw) write(formatRawChunk(rawFormatter.format(bytes), bytes.byteLength, time, palette));
    },
    closed: (end) => {
      // A failure or a timeout is said on stderr; only a normal end is noted here.
      if (end.exitCode === 0 || end.exitCode === 130) write(formatClosed(end.message, new Date(), palette));
    },
  };
}
