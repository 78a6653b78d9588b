import { encodeComment, type SseLifecycleEvent } from '../../index.js';
import { formatAge, plural, preview, rawLines } from './format.js';
import type { LogRecord } from './log-records.js';
import type { LogKind } from './types.js';

export interface LogLine {
  readonly kind: LogKind;
  readonly text: string;
  readonly fields: LogRecord;
}

const reasons = {
  'client-closed': 'the client went away',
  'server-closed': 'closed by the console',
  'slow-client': 'too slow: it stopped reading and its buffer passed the limit',
  'close-after': 'hung up after the ?closeAfter= count',
  stopped: 'the server stopped',
  error: 'socket error',
} as const;

/** A tab navigated to the stream asks for HTML; EventSource asks for text/event-stream. */
function isBrowserTab(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html') && !accept.includes('text/event-stream');
}

/**
The stream names its hook `onConnect` (the library's word); in the console the hook
is the `respond` command, so say that, and how to stream again only while an answer
is still set (a `--once` answer has reset itself by the time its refusal is logged).
*/
function consoleReason(reason: string, respondSet: boolean): string {
  return reason
    .replace(
      /^onConnect answered (\d+)$/,
      respondSet
        ? 'as `respond` asked (`respond reset` streams again)'
        : 'as `respond` asked, once (new connections stream again)',
    )
    .replace(/\bonConnect\b/g, 'the `respond` answer');
}

/** The exact bytes written, one wire line per log line (`raw on`). */
function rawByteLines(bytes: Buffer): LogLine[] {
  return rawLines(bytes).map((line) => ({ kind: 'raw', text: `  ${line}`, fields: { type: 'raw', line } }));
}

/** An event id in a log line: numbers as they are, strings quoted and cut (they may be long or hostile). */
function shownId(id: number | string): string {
  return typeof id === 'number' ? String(id) : JSON.stringify(preview(id, 40));
}

/** Which ids a gap lost: a range when both ends are the stream's numbers. */
function gapRange(requestedId: number | string, oldestId: number | string): string {
  if (typeof requestedId === 'number' && typeof oldestId === 'number' && requestedId < oldestId - 1) {
    const first = requestedId + 1;
    const last = oldestId - 1;
    return first === last ? `id ${first} is` : `ids ${first}–${last} are`;
  }
  return 'the events between them are';
}

/** Turns one stream lifecycle event into log lines (several when raw bytes are shown). */
export function describeLifecycle(
  event: SseLifecycleEvent,
  now: number,
  raw: boolean,
  /** A `respond` answer other than normal streaming is set now. */
  respondSet = true,
): LogLine[] {
  switch (event.type) {
    case 'connected': {
      const c = event.info;
      const asked =
        c.lastEventIdRequested === undefined
          ? ''
          : `, Last-Event-ID ${JSON.stringify(preview(c.lastEventIdRequested, 40))}`;
      return [
        {
          kind: 'connect',
          text: `#${c.id} connected from ${c.remoteAddress}:${c.remotePort} ${c.path}${c.protocol === 'h2' ? ' over HTTP/2' : ''}${asked}`,
          fields: {
            type: 'connected',
            conn: c.id,
            remoteAddress: c.remoteAddress,
            remotePort: c.remotePort,
            path: c.path,
            protocol: c.protocol ?? 'h1',
            userAgent: c.userAgent,
            lastEventId: c.lastEventIdRequested ?? null,
          },
        },
        ...(isBrowserTab(c.accept)
          ? [
              {
                kind: 'warn' as const,
                text: `#${c.id} is a browser tab opened on the stream URL itself (Accept: text/html, not text/event-stream): it shows the raw event text and never runs EventSource; open a demo page instead (\`open\`)`,
                fields: { type: 'stream-tab' as const, conn: c.id },
              },
            ]
          : []),
      ];
    }
    case 'disconnected': {
      const c = event.info;
      return [
        {
          kind: event.reason === 'slow-client' || event.reason === 'error' ? 'warn' : 'disconnect',
          text: `#${c.id} disconnected (${reasons[event.reason]}) after ${formatAge(now - c.connectedAt)}, ${plural(c.eventsSent, 'event')}`,
          fields: {
            type: 'disconnected',
            conn: c.id,
            reason: event.reason,
            eventsSent: c.eventsSent,
            bytesSent: c.bytesSent,
          },
        },
      ];
    }
    case 'sent': {
      const e = event.event;
      const what = [
        e.id === undefined ? undefined : `id ${shownId(e.id)}`,
        e.event === undefined ? undefined : `event ${JSON.stringify(e.event)}`,
        e.retry === undefined ? undefined : `retry ${e.retry}`,
        e.data === '' && e.retry !== undefined ? undefined : JSON.stringify(preview(e.data)),
      ]
        .filter((part) => part !== undefined)
        .join(' ');
      const target = event.to === undefined ? `to ${plural(e.connectionCount, 'connection')}` : `to #${event.to} only`;
      const stored = e.id === undefined ? ' (no id: not stored)' : ' (stored for replay)';
      const lines: LogLine[] = [
        {
          kind: 'send',
          text: `sent ${what} ${target}${event.to === undefined ? stored : ''}`,
          fields: {
            type: 'sent',
            id: e.id ?? null,
            event: e.event ?? null,
            data: e.data,
            retry: e.retry ?? null,
            connections: e.connectionCount,
            to: event.to ?? null,
            bytes: e.bytes.length,
          },
        },
      ];
      if (raw) lines.push(...rawByteLines(e.bytes));
      return lines;
    }
    case 'comment':
      return [
        {
          kind: 'comment',
          text: `comment ${JSON.stringify(preview(event.text))} to ${plural(event.connectionCount, 'connection')}`,
          fields: { type: 'comment', comment: event.text, connections: event.connectionCount },
        },
        ...(raw ? rawByteLines(encodeComment(event.text)) : []),
      ];
    case 'heartbeat':
      // Every 15 s by default: logged only when the user asked to see the bytes.
      return raw
        ? [
            {
              kind: 'comment',
              text: `heartbeat comment to ${plural(event.connectionCount, 'connection')} (keeps proxies from closing an idle stream)`,
              fields: { type: 'heartbeat', connections: event.connectionCount },
            },
            ...rawByteLines(encodeComment('heartbeat')),
          ]
        : [];
    case 'replayed': {
      const range =
        event.firstId === undefined
          ? ''
          : event.firstId === event.lastId
            ? ` (id ${shownId(event.firstId)})`
            : ` (ids ${shownId(event.firstId)}–${shownId(event.lastId ?? event.firstId)})`;
      return [
        {
          kind: 'replay',
          text: `#${event.info.id} replayed ${plural(event.count, 'stored event')}${range}`,
          fields: {
            type: 'replayed',
            conn: event.info.id,
            count: event.count,
            firstId: event.firstId ?? null,
            lastId: event.lastId ?? null,
          },
        },
      ];
    }
    case 'gap':
      return [
        {
          kind: 'gap',
          text: `#${event.info.id} asked for events after ${shownId(event.requestedId)}, but the oldest stored is ${shownId(event.oldestId)}: ${gapRange(event.requestedId, event.oldestId)} gone (the client was sent event: reset)`,
          fields: { type: 'gap', conn: event.info.id, requestedId: event.requestedId, oldestId: event.oldestId },
        },
      ];
    case 'unknown-last-event-id':
      return [
        {
          kind: 'warn',
          text: `#${event.info.id} sent Last-Event-ID ${JSON.stringify(preview(event.value, 40))}, which this stream never issued; replaying everything`,
          fields: { type: 'unknown-last-event-id', conn: event.info.id, value: event.value },
        },
      ];
    case 'refused':
      return [
        {
          kind: 'refused',
          text: `refused ${event.remoteAddress} ${event.path} with ${event.status}: ${consoleReason(event.reason, respondSet)}`,
          fields: {
            type: 'refused',
            status: event.status,
            reason: event.reason,
            remoteAddress: event.remoteAddress,
            path: event.path,
          },
        },
      ];
    case 'history-changed':
      return [];
  }
}
