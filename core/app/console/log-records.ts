import type { LogKind } from './types.js';

/*
The `--json` line-mode output is a public contract: one JSON object per log line,
each a member of `JsonLine` below. A log entry that carries a record is written as
that record (its `type` and fields); one without a record gets its kind as `type`.
Every line also has `kind`, an ISO `time` and the log `text`: those four names are
the envelope, written by the formatter, and no record may declare them (the type
below makes that a compile error; jsonLine drops them at run time too), so a
record's fields can never overwrite the line's type, kind, time or text.
The stream's lifecycle events (core/stream/types.ts) become the first group.
*/

type Id = number | string;

// The stream's lifecycle (core/app/console/lifecycle-log.ts).
interface ConnectedRecord {
  readonly type: 'connected';
  readonly conn: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly path: string;
  /** `h1` or `h2` (with --http2). */
  readonly protocol: string;
  readonly userAgent: string;
  readonly lastEventId: string | null;
}
interface StreamTabRecord {
  readonly type: 'stream-tab';
  readonly conn: number;
}
interface DisconnectedRecord {
  readonly type: 'disconnected';
  readonly conn: number;
  readonly reason: string;
  readonly eventsSent: number;
  readonly bytesSent: number;
}
interface SentRecord {
  readonly type: 'sent';
  readonly id: Id | null;
  readonly event: string | null;
  readonly data: string;
  readonly retry: number | null;
  readonly connections: number;
  readonly to: number | null;
  readonly bytes: number;
}
interface RawRecord {
  readonly type: 'raw';
  readonly line: string;
}
interface CommentRecord {
  readonly type: 'comment';
  /** The comment sent (the log `text` describes it). */
  readonly comment: string;
  readonly connections: number;
}
interface HeartbeatRecord {
  readonly type: 'heartbeat';
  readonly connections: number;
}
interface ReplayedRecord {
  readonly type: 'replayed';
  readonly conn: number;
  readonly count: number;
  readonly firstId: Id | null;
  readonly lastId: Id | null;
}
interface GapRecord {
  readonly type: 'gap';
  readonly conn: number;
  readonly requestedId: Id;
  readonly oldestId: Id;
}
interface UnknownLastEventIdRecord {
  readonly type: 'unknown-last-event-id';
  readonly conn: number;
  readonly value: string;
}
interface RefusedRecord {
  readonly type: 'refused';
  readonly status: number;
  readonly reason: string;
  readonly remoteAddress: string;
  readonly path: string;
}

// The console: pages, lessons, the tour, jobs, the REPL, the writer.
interface PageRecord {
  readonly type: 'page';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly remoteAddress: string;
  readonly reason?: string;
}
interface ConnectionLimitRecord {
  readonly type: 'connection-limit';
  readonly remoteAddress: string;
  readonly streams: number;
  readonly path: string;
}
interface TourRecord {
  readonly type: 'tour';
}
interface ScriptRecord {
  readonly type: 'script';
  readonly state: 'started' | 'finished' | 'stopped';
  readonly file: string;
  readonly line?: number;
  /** On `finished`: the verdicts of the `expect`s armed while it ran. */
  readonly expectations?: { readonly passed: number; readonly failed: number };
}
/** An `expect`: armed (`waiting`), then `passed` or `failed`; `origin` is the script line (FILE:LINE) that armed it. */
interface ExpectationRecord {
  readonly type: 'expectation';
  readonly result: 'waiting' | 'passed' | 'failed';
  /** The expectation in words. */
  readonly expected: string;
  /** On `failed`: what was seen instead. */
  readonly seen?: string;
  /** On `passed`: milliseconds from arming to the match. */
  readonly ms?: number;
  readonly origin?: string;
}
interface NarrationRecord {
  readonly type: 'narration';
  readonly script: string;
  readonly line: number;
}
/** A lesson script's line, echoed as the command it runs (its `type` is `command`). */
interface ScriptCommandRecord {
  readonly type: 'command';
  readonly script: string;
  readonly line: number;
}
interface ReplRecord {
  readonly type: 'repl';
}
interface SkippedRecord {
  readonly type: 'skipped';
  readonly reason: string;
  /** Lines not written, by log kind. */
  readonly counts: Readonly<Record<string, number>>;
}

// `connect URL` inside the console (core/app/console/remote-viewer.ts).
interface RemoteConnectingRecord {
  readonly type: 'remote-connecting';
}
interface RemoteNoticeRecord {
  readonly type: 'remote-notice';
}
interface RemoteOpenRecord {
  readonly type: 'remote-open';
  readonly status: number;
  readonly attempt: number;
}
interface RemoteWarningRecord {
  readonly type: 'remote-warning';
  readonly code: string;
}
interface RemoteEventRecord {
  readonly type: 'remote-event';
  readonly event: string;
  readonly data: string;
  readonly dataOmitted: number;
  readonly id: string | null;
  readonly lastEventId: string;
}
/** A block with only an `id:` field: no event fires, but the last event ID becomes `id` ("" clears it). */
interface RemoteIdRecord {
  readonly type: 'remote-id';
  readonly id: string;
}
interface RemoteCommentRecord {
  readonly type: 'remote-comment';
  readonly comment: string;
}
interface RemoteRetryRecord {
  readonly type: 'remote-retry';
  readonly retryMs: number;
}
interface RemoteIgnoredRecord {
  readonly type: 'remote-ignored';
  readonly line: string;
}
/** A response the client refused (not 200, or not text/event-stream), with the start of its body. */
interface RemoteResponseRecord {
  readonly type: 'remote-response';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Characters of `body` left out of the record. */
  readonly bodyOmitted: number;
  readonly bodyEnd: string;
}
interface RemoteErrorRecord {
  readonly type: 'remote-error';
  readonly code: string;
  readonly status?: number | null;
  readonly fatal: boolean;
}
interface RemoteReconnectingRecord {
  readonly type: 'remote-reconnecting';
  readonly delayMs: number;
  readonly attempt: number;
}
interface RemoteClosedRecord {
  readonly type: 'remote-closed';
  readonly reason: string;
}

// `sse-console proxy` (core/app/console/proxy-log.ts and the proxy commands).
interface ProxyRequestRecord {
  readonly type: 'proxy-request';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly problem?: string;
}
interface ProxyStreamOpenRecord {
  readonly type: 'proxy-stream-open';
  readonly conn: number;
  readonly path: string;
  readonly upstreamUrl: string;
  readonly remoteAddress: string;
  readonly userAgent: string;
  readonly lastEventId: string | null;
}
interface ProxyStreamWarningRecord {
  readonly type: 'proxy-stream-warning';
  readonly conn: number;
  readonly code?: string;
  readonly message: string;
}
interface ProxyEventRecord {
  readonly type: 'proxy-event';
  readonly conn: number;
  readonly id: string | null;
  readonly event: string;
  /** Cut beyond 16 Mi characters (as `connect --json`); `dataOmitted` says how many were left out. */
  readonly data: string;
  readonly dataOmitted: number;
  readonly lastEventId: string;
  readonly treatment: string;
}
interface ProxyCommentRecord {
  readonly type: 'proxy-comment';
  readonly conn: number;
  readonly comment: string;
}
interface ProxyRetryRecord {
  readonly type: 'proxy-retry';
  readonly conn: number;
  readonly retryMs: number;
}
interface ProxyRawRecord {
  readonly type: 'proxy-raw';
  readonly conn: number;
  readonly injected: boolean;
  readonly line: string;
}
interface ProxyStreamCloseRecord {
  readonly type: 'proxy-stream-close';
  readonly conn: number;
  readonly reason: string;
  readonly events: number;
  readonly bytes: number;
  readonly lastEventId: string;
}
interface ProxyAnsweredRecord {
  readonly type: 'proxy-answered';
  readonly method: string;
  readonly path: string;
  readonly status: number;
}
interface ProxyUpgradeRecord {
  readonly type: 'proxy-upgrade';
  readonly path: string;
  readonly outcome: string;
}
interface ProxyFaultRecord {
  readonly type: 'proxy-fault';
  readonly fault: 'delay' | 'drop' | 'pause' | 'resume' | 'buffer' | 'idle-cut' | 'limit' | 'gzip' | 'rechunk';
  readonly target: number | 'all';
  readonly ms?: number;
  readonly count?: number;
  readonly bytes?: number;
}
interface ProxyInjectedRecord {
  readonly type: 'proxy-injected';
  readonly streams: number;
}
/** A row of `conns` in proxy mode: one live stream at that moment. */
interface ProxyConnRecord {
  readonly type: 'proxy-conn';
  readonly conn: number;
  readonly path: string;
  readonly events: number;
  /** Bytes written to the browser. */
  readonly bytes: number;
  /** Written to the browser, not yet taken by its socket. */
  readonly bufferedBytes: number;
  /** Held back by `pause`, `delay` or `buffer`: not written to the browser yet. */
  readonly heldBytes: number;
  /** The proxy has stopped reading the app's answer (back-pressure). */
  readonly upstreamPaused: boolean;
  /** The stream's own faults in words ("" when none). */
  readonly faults: string;
}
/** The last line of `conns` in proxy mode while `limit` is on: stream requests it holds with no answer. */
interface ProxyLimitRecord {
  readonly type: 'proxy-limit';
  readonly limit: number;
  readonly waiting: number;
}

/** Fields added to any record: the channel a line is about, the remote stream a `connect` line came from. */
interface Decorations {
  /** `[NAME]` lines: the channel /events/NAME. */
  readonly channel?: string;
  /** Lines of the console's `connect URL` client: that URL (credentials shown as ***). */
  readonly remote?: string;
}

/** The structured part of a log line: one member per `type`. */
export type LogRecord = (
  | ConnectedRecord
  | StreamTabRecord
  | DisconnectedRecord
  | SentRecord
  | RawRecord
  | CommentRecord
  | HeartbeatRecord
  | ReplayedRecord
  | GapRecord
  | UnknownLastEventIdRecord
  | RefusedRecord
  | PageRecord
  | ConnectionLimitRecord
  | TourRecord
  | ScriptRecord
  | ExpectationRecord
  | NarrationRecord
  | ScriptCommandRecord
  | ReplRecord
  | SkippedRecord
  | RemoteConnectingRecord
  | RemoteNoticeRecord
  | RemoteOpenRecord
  | RemoteWarningRecord
  | RemoteEventRecord
  | RemoteIdRecord
  | RemoteCommentRecord
  | RemoteRetryRecord
  | RemoteIgnoredRecord
  | RemoteResponseRecord
  | RemoteErrorRecord
  | RemoteReconnectingRecord
  | RemoteClosedRecord
  | ProxyRequestRecord
  | ProxyStreamOpenRecord
  | ProxyStreamWarningRecord
  | ProxyEventRecord
  | ProxyCommentRecord
  | ProxyRetryRecord
  | ProxyRawRecord
  | ProxyStreamCloseRecord
  | ProxyAnsweredRecord
  | ProxyUpgradeRecord
  | ProxyFaultRecord
  | ProxyInjectedRecord
  | ProxyConnRecord
  | ProxyLimitRecord
) &
  Decorations;

/** The first line of `--json` output, before any log line. */
export type ListeningLine =
  | { readonly type: 'listening'; readonly sse: string; readonly pages: string }
  | { readonly type: 'listening'; readonly proxy: string; readonly upstream: string };

/** The envelope every log line has; `type` is the record's type, or the kind when the line has no record. */
interface Envelope {
  readonly kind: LogKind;
  /** ISO 8601. */
  readonly time: string;
  readonly text: string;
}

/** A log line without a record: its kind is its type. */
type PlainLine = Envelope & { readonly type: LogKind };

/** One line of `--json` output: the listening line, then one per log entry. */
export type JsonLine = ListeningLine | PlainLine | (LogRecord & Envelope);

/** Names only the envelope may use. */
type EnvelopeName = keyof Envelope;
type KeysOf<U> = U extends unknown ? keyof U : never;
type MustBeNever<T extends never> = T;
/** Compile-time check: no record declares an envelope name (a record's `text` would be lost under the log text). */
type _RecordsLeaveTheEnvelopeAlone = MustBeNever<Extract<KeysOf<LogRecord>, EnvelopeName>>;

/** Every record type (the compiler checks this against the union, both ways). */
const recordTypes: Readonly<Record<LogRecord['type'], true>> = {
  connected: true,
  'stream-tab': true,
  disconnected: true,
  sent: true,
  raw: true,
  comment: true,
  heartbeat: true,
  replayed: true,
  gap: true,
  'unknown-last-event-id': true,
  refused: true,
  page: true,
  'connection-limit': true,
  tour: true,
  script: true,
  expectation: true,
  narration: true,
  command: true,
  repl: true,
  skipped: true,
  'remote-connecting': true,
  'remote-notice': true,
  'remote-open': true,
  'remote-warning': true,
  'remote-event': true,
  'remote-id': true,
  'remote-comment': true,
  'remote-retry': true,
  'remote-ignored': true,
  'remote-response': true,
  'remote-error': true,
  'remote-reconnecting': true,
  'remote-closed': true,
  'proxy-request': true,
  'proxy-stream-open': true,
  'proxy-stream-warning': true,
  'proxy-event': true,
  'proxy-comment': true,
  'proxy-retry': true,
  'proxy-raw': true,
  'proxy-stream-close': true,
  'proxy-answered': true,
  'proxy-upgrade': true,
  'proxy-fault': true,
  'proxy-injected': true,
  'proxy-conn': true,
  'proxy-limit': true,
};

const envelopeNames: ReadonlySet<string> = new Set(['type', 'kind', 'time', 'text']);

/** A record's type, when it is one of the union's (a JavaScript caller can hand in anything). */
function recordType(record: LogRecord | undefined): LogRecord['type'] | undefined {
  const type: unknown = record?.type;
  return typeof type === 'string' && Object.hasOwn(recordTypes, type) ? (type as LogRecord['type']) : undefined;
}

/** The JSON line of one log entry: `type` first, then the record's own fields, then the envelope. */
export function jsonLine(entry: {
  readonly kind: LogKind;
  readonly time: number;
  readonly text: string;
  readonly fields?: LogRecord;
}): JsonLine {
  // The line's type is the record's (a known one) or the kind; no other field can set it,
  // and the envelope's names are the formatter's alone.
  const own = Object.entries(entry.fields ?? {}).filter(([name]) => !envelopeNames.has(name));
  return {
    type: recordType(entry.fields) ?? entry.kind,
    ...Object.fromEntries(own),
    kind: entry.kind,
    time: new Date(entry.time).toISOString(),
    text: entry.text,
  } as JsonLine;
}
