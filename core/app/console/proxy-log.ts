import type { ProxyReport } from '../proxy/types.js';
import { clipText, JSON_DATA_CHARS, JSON_FIELD_CHARS } from '../../terminal/terminal-text.js';
import { preview, rawLines } from './format.js';
import type { LogKind } from './types.js';
import type { LogRecord } from './log-records.js';

export interface ProxyLogLine {
  readonly kind: LogKind;
  readonly text: string;
  readonly fields?: LogRecord;
}

const endReasons = {
  'upstream-ended': 'the upstream ended the response',
  'browser-closed': 'the browser went away',
  'closed-by-console': 'closed by the console (the browser reconnects)',
  'idle-cut': 'cut by idle-cut: no byte from upstream for that long (the browser reconnects)',
  'upstream-error': 'the upstream connection failed',
  stopped: 'the proxy stopped',
} as const;

/** Assets: a successful one is not worth a log line (a page loads dozens). */
function isQuietAsset(path: string, status: number, contentType: string | undefined): boolean {
  if (status >= 400) return false;
  if (/\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf)(\?|$)/i.test(path)) return true;
  return /^(image|font)\//i.test(contentType ?? '') || /javascript|text\/css/i.test(contentType ?? '');
}

/** Turns one proxy report into console log lines (raw bytes only with `raw on`). */
export function describeProxyReport(report: ProxyReport, raw: boolean): ProxyLogLine[] {
  switch (report.type) {
    case 'request': {
      const r = report.request;
      if (r.problem === undefined && isQuietAsset(r.path, r.status, r.contentType)) return [];
      const why = r.problem === undefined ? '' : `: ${r.problem}`;
      return [
        {
          kind: r.status >= 500 || r.problem !== undefined ? 'warn' : 'page',
          text: `${r.method} ${r.path} ${r.status} ${r.durationMs}ms${why}`,
          fields: {
            type: 'proxy-request',
            method: r.method,
            path: r.path,
            status: r.status,
            durationMs: r.durationMs,
            ...(r.problem === undefined ? {} : { problem: r.problem }),
          },
        },
      ];
    }
    case 'stream-open': {
      const s = report.stream;
      const asked =
        s.lastEventIdSent === undefined ? '' : `, Last-Event-ID ${JSON.stringify(preview(s.lastEventIdSent, 40))}`;
      return [
        {
          kind: 'connect',
          text: `#${s.id} stream ${s.method} ${s.path} → ${s.upstreamUrl} from ${s.remoteAddress}${asked}${s.faults === '' ? '' : ` [${s.faults}]`}`,
          fields: {
            type: 'proxy-stream-open',
            conn: s.id,
            path: s.path,
            upstreamUrl: s.upstreamUrl,
            remoteAddress: s.remoteAddress,
            userAgent: s.userAgent,
            lastEventId: s.lastEventIdSent ?? null,
          },
        },
        ...report.warnings.map((warning) => ({
          kind: 'warn' as const,
          text: `#${s.id} ${warning.message}`,
          fields: { type: 'proxy-stream-warning' as const, conn: s.id, code: warning.code, message: warning.message },
        })),
      ];
    }
    case 'stream-event': {
      const { stream: s, event, treatment } = report;
      const mark =
        treatment === 'passed'
          ? ''
          : treatment === 'delayed'
            ? ` [delayed ${report.heldMs ?? 0}ms]`
            : ` [${treatment}]`;
      const id = event.id === undefined ? '' : ` id ${JSON.stringify(preview(event.id, 40))}`;
      const type = event.event === 'message' ? '' : ` ${event.event}`;
      const data = clipText(event.data, JSON_DATA_CHARS);
      return [
        {
          kind: treatment === 'passed' ? 'send' : 'remote',
          text: `#${s.id} event${type}${id} ${JSON.stringify(preview(event.data, 80))}${mark}`,
          fields: {
            type: 'proxy-event',
            conn: s.id,
            id: event.id === undefined ? null : clipText(event.id, JSON_FIELD_CHARS).text,
            event: clipText(event.event, JSON_FIELD_CHARS).text,
            data: data.text,
            dataOmitted: data.omitted,
            lastEventId: clipText(event.lastEventId, JSON_FIELD_CHARS).text,
            treatment,
          },
        },
      ];
    }
    case 'stream-comment':
      return [
        {
          kind: 'comment',
          text: `#${report.stream.id} : ${preview(report.text, 80)}`,
          fields: {
            type: 'proxy-comment',
            conn: report.stream.id,
            comment: clipText(report.text, JSON_FIELD_CHARS).text,
          },
        },
      ];
    case 'stream-retry':
      return [
        {
          kind: 'info',
          text: `#${report.stream.id} retry ${report.retryMs}ms`,
          fields: { type: 'proxy-retry', conn: report.stream.id, retryMs: report.retryMs },
        },
      ];
    case 'stream-ignored-line':
    case 'stream-warning':
      return [
        {
          kind: 'warn',
          text: `#${report.stream.id} ${report.message}`,
          fields: { type: 'proxy-stream-warning', conn: report.stream.id, message: report.message },
        },
      ];
    case 'stream-bytes':
      if (!raw) return [];
      return rawLines(report.bytes).map((line) => ({
        kind: 'raw' as const,
        text: `#${report.stream.id}${report.injected ? ' [injected]' : ''} ${line}`,
        fields: { type: 'proxy-raw', conn: report.stream.id, injected: report.injected, line },
      }));
    case 'stream-close': {
      const s = report.stream;
      const detail = report.detail === undefined ? '' : `: ${report.detail}`;
      return [
        {
          kind: report.reason === 'upstream-error' ? 'warn' : 'disconnect',
          text: `#${s.id} stream ended: ${endReasons[report.reason]}${detail} (${s.events} events, ${s.bytes} bytes, last id ${JSON.stringify(preview(s.lastEventId, 40))})`,
          fields: {
            type: 'proxy-stream-close',
            conn: s.id,
            reason: report.reason,
            events: s.events,
            bytes: s.bytes,
            lastEventId: s.lastEventId,
          },
        },
      ];
    }
    case 'answered':
      return [
        {
          kind: 'refused',
          text: `${report.method} ${report.path} answered ${report.status} by the proxy [injected] (${report.why}), not forwarded`,
          fields: { type: 'proxy-answered', method: report.method, path: report.path, status: report.status },
        },
      ];
    case 'upgrade':
      return [
        {
          kind: 'info',
          text: `upgrade ${report.path}: ${report.outcome}`,
          fields: { type: 'proxy-upgrade', path: report.path, outcome: report.outcome },
        },
      ];
  }
}
