import type { IncomingMessage, ServerResponse } from 'node:http';

/**
What `sse.sendNewEvent()` takes (Racket `send-new-event`).
`id: true` gives the event the stream's next integer id (1, 2, 3 …), stores it in
the replay log and sends it; a string or number is the application's own id (a
database sequence, a UUID), stored and sent as given; without `id` the event is
sent and forgotten.
*/
export interface SseEventInput {
  /** Event data. CR, LF and CRLF become separate `data:` lines. May be empty. */
  readonly data?: string;
  /** Event type (`event:` field). May not contain CR or LF. */
  readonly event?: string;
  /**
  Stores the event for replay under an id:
  - `true`: the stream's next integer (see `Sse.nextId`);
  - a string (not empty; no CR, LF or NUL) or a whole number from 0 to 2^53−1: the
    application's own id, sent as given (numbers in decimal). A number (or decimal
    string) at or above `Sse.nextId` moves the counter past it, so a later `id: true`
    never repeats it; a smaller one leaves the counter where it is.
  An id already stored is allowed: the newer event wins (a Last-Event-ID naming it
  resumes after the newer one). `false` or absent: sent only, not stored.
  */
  readonly id?: boolean | string | number;
  /** Reconnection time in ms (`retry:` field): a non-negative integer. */
  readonly retry?: number;
}

/**
One event in the replay log, in insertion order: `id` as it was sent (the stream's
integer for `id: true`, or the application's string or number).
*/
export interface HistoryRecord {
  readonly id: number | string;
  readonly data: string;
  readonly event?: string;
  readonly retry?: number;
  /** Epoch ms when the event was stored. */
  readonly storedAt: number;
}

/** What `sendNewEvent` returns: the record as sent. */
export interface SentEvent {
  readonly id?: number | string;
  readonly data: string;
  readonly event?: string;
  readonly retry?: number;
  readonly sentAt: number;
  /** The exact bytes written to every connection (encoded once). */
  readonly bytes: Buffer;
  /** How many connections the event was written to. */
  readonly connectionCount: number;
}

/** A live connection as observers see it (a snapshot; read-only). */
export interface ConnectionInfo {
  /** 1, 2, 3 … in connection order, never reused within a stream. */
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly userAgent: string;
  /** The request's Accept header, when it sent one (a tab opened on the stream URL itself asks for text/html). */
  readonly accept?: string;
  /** Request path and query, with any `token` query value redacted. */
  readonly path: string;
  /** The stream's `channel` option (`/events/NAME`), if it has one. */
  readonly channel?: string;
  /**
  `h1` (HTTP/1.x: a connection per stream) or `h2` (HTTP/2: one stream of a shared
  connection). Always set by a stream; absent only in infos made by other code.
  */
  readonly protocol?: 'h1' | 'h2';
  /** The Last-Event-ID the client asked for (header or `?lastEventId=`), if any. */
  readonly lastEventIdRequested: string | undefined;
  readonly connectedAt: number;
  /** Events (not comments) written to this connection, replayed ones included. */
  readonly eventsSent: number;
  readonly bytesSent: number;
  /** Bytes written but not yet taken by the kernel (`res.writableLength`). */
  readonly bufferedBytes: number;
  /** True while the socket asks us to wait for `drain`. */
  readonly slow: boolean;
}

export type DisconnectReason = 'client-closed' | 'server-closed' | 'slow-client' | 'close-after' | 'stopped' | 'error';

/** Typed lifecycle events the stream emits, for the UI, logs and tests. */
export type SseLifecycleEvent =
  | { readonly type: 'connected'; readonly connection: ConnectionInfo }
  | {
      readonly type: 'disconnected';
      readonly connection: ConnectionInfo;
      readonly reason: DisconnectReason;
    }
  | { readonly type: 'sent'; readonly event: SentEvent; readonly to?: number }
  | { readonly type: 'comment'; readonly text: string; readonly connectionCount: number }
  /** The heartbeat comment (`: heartbeat`) went to every connection. */
  | { readonly type: 'heartbeat'; readonly connectionCount: number }
  | {
      readonly type: 'replayed';
      readonly connection: ConnectionInfo;
      readonly count: number;
      readonly firstId?: number | string | undefined;
      readonly lastId?: number | string | undefined;
    }
  | {
      readonly type: 'refused';
      readonly status: number;
      readonly reason: string;
      readonly remoteAddress: string;
      readonly path: string;
    }
  | {
      readonly type: 'gap';
      readonly connection: ConnectionInfo;
      /** The Last-Event-ID: a number when it is a decimal integer, else the text. */
      readonly requestedId: number | string;
      readonly oldestId: number | string;
    }
  | {
      readonly type: 'unknown-last-event-id';
      readonly connection: ConnectionInfo;
      readonly value: string;
    }
  | { readonly type: 'history-changed'; readonly size: number; readonly nextId: number };

export type SseListener = (event: SseLifecycleEvent) => void;

/** What an `onConnect` hook answers: a status other than 200 refuses the stream. */
export interface ConnectAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Body for a refusal (ignored for 200). */
  readonly body?: string;
}

export type OnConnect = (
  req: IncomingMessage,
  // `void` on purpose: a hook that only looks at the request may return nothing at all.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
) => ConnectAnswer | undefined | void | Promise<ConnectAnswer | undefined | void>;

export interface SseOptions {
  /** Most events kept for replay; the oldest are dropped past it. Default 1000. */
  readonly historyLimit?: number;
  /**
  Most bytes (encoded events) kept for replay, beside `historyLimit`; the oldest are
  dropped past it. Default 64 MiB.
  */
  readonly historyMaxBytes?: number;
  /** Heartbeat comment interval in ms; 0 turns it off. Default 15000. */
  readonly heartbeatMs?: number;
  /** A connection with more than this many bytes unsent is dropped. Default 8 MiB. */
  readonly maxBufferedBytes?: number;
  /** If set, `retry: N` is written first on every new connection. */
  readonly retryMs?: number;
  /** Origins allowed by CORS: a list, or '*'. Default: none (same origin only). */
  readonly corsOrigins?: readonly string[] | '*';
  /** Most live connections; more are answered 503. Default: unlimited. */
  readonly maxConnections?: number;
  /** If set, streams require `?token=T` or `Authorization: Bearer T` (else 401). */
  readonly token?: string;
  /** Decides, per request, whether to stream (clack-sse `on-connect`). */
  readonly onConnect?: OnConnect;
  /** Replay log to start from (e.g. restored from a file); the counter continues past its largest numeric id. */
  readonly initialHistory?: readonly HistoryRecord[];
  /**
  The first id to issue, when ids up to it were issued before (e.g. the history was
  cleared before a restart). Ids continue after the larger of this and the largest numeric initial id.
  */
  readonly initialNextId?: number;
  /** A name for this stream among several served side by side (`/events/NAME`); shown on its connections. */
  readonly channel?: string;
  /**
  Issues connection numbers. Give several streams the same function so their numbers
  never clash (`close 3` then names one connection). Default: 1, 2, 3 … per stream.
  */
  readonly connectionIds?: () => number;
  /** Called synchronously with every stored event before it is written to any socket. */
  readonly persist?: (record: HistoryRecord) => void;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** An event stream (Racket `make-sse`): live connections plus the replay log. */
export interface Sse {
  sendNewEvent(input: SseEventInput): SentEvent;
  /** Send to one connection only; never stored. Throws if the connection is gone. */
  sendTo(connectionId: number, input: Omit<SseEventInput, 'id'>): SentEvent;
  /** Write a `: text` comment to every connection. Returns the connection count. */
  sendComment(text: string): number;
  /** Serve one request as a stream (mount in any node:http or Express app). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  readonly connections: readonly ConnectionInfo[];
  readonly history: readonly HistoryRecord[];
  /**
  The id the next `id: true` event will get. It never goes backwards (not on clear,
  not on replace) and moves past every numeric id stored, so an id is never issued
  twice; past 2^53−1 (Number.MAX_SAFE_INTEGER) `id: true` sends are refused.
  */
  readonly nextId: number;
  subscribe(listener: SseListener): () => void;
  /** Hang up one connection (the browser will reconnect). False if no such connection. */
  close(connectionId: number): boolean;
  /** Hang up every connection; returns how many. */
  closeAll(): number;
  clearHistory(): void;
  /**
  Replace the replay log (records in insertion order; ids are numbers or strings).
  The next id moves past the largest numeric id if that is larger; it never moves backwards.
  */
  replaceHistory(records: readonly HistoryRecord[]): void;
  /** Replace the connect hook at run time (the console's `respond`). */
  setOnConnect(hook: OnConnect | undefined): void;
  /** End every stream and timer; the stream accepts no more connections. */
  stop(): void;
}
