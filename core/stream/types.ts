import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReplayStore } from '../history/replay-store.js';

/**
What `sse.sendNewEvent()` takes: one event's fields.
`id: true` gives the event the stream's next integer id (1, 2, 3 …), stores it in
the replay log and sends it; a string or number is the application's own id (a
database sequence, a UUID), stored and sent as given; without `id` the event is
sent and forgotten.
*/
export interface SseEventInput {
  /**
  Event data. A string is sent exactly as given; any other value is serialized once per
  send by the stream's `serialize` option (default: `JSON.stringify`), so
  `{ data: { user: 'ada' } }` sends `data: {"user":"ada"}`. CR, LF and CRLF become
  separate `data:` lines. May be empty.
  */
  readonly data?: unknown;
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
  /** The id it was stored under: the stream's integer for `id: true`, or the application's own. */
  readonly id: number | string;
  /** Event data as sent: a string, or what `serialize` made of other data (line breaks kept; each becomes its own `data:` line on the wire). */
  readonly data: string;
  /** Event type, when not the default `message`. */
  readonly event?: string;
  /** The `retry:` field sent with it, if any. */
  readonly retry?: number;
  /** Epoch ms when the event was stored. */
  readonly storedAt: number;
}

/**
What `sendTo` and a connection's `send` take: an event for one connection. It is
never stored, so it has no `id` (an `id` key is refused with an `SseFieldError`).
*/
export type SseDirectEventInput = Omit<SseEventInput, 'id'>;

/** What `sendNewEvent` returns: the record as sent. */
export interface SentEvent {
  /** The id it was sent and stored under; absent when it was not stored. */
  readonly id?: number | string;
  /** Event data as sent, after `serialize` ('' when none was given). */
  readonly data: string;
  /** Event type, when not the default `message`. */
  readonly event?: string;
  /** The `retry:` field, if given. */
  readonly retry?: number;
  /** Epoch ms when it was sent. */
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
  /** The peer's address, captured when it connected. */
  readonly remoteAddress: string;
  /** The peer's port. */
  readonly remotePort: number;
  /** The request's User-Agent, made printable and cut to 256 characters ('' if none). */
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
  /** Epoch ms when the stream was opened. */
  readonly connectedAt: number;
  /** Events (not comments) written to this connection, replayed ones included. */
  readonly eventsSent: number;
  /** Bytes written to this connection (events, comments, replay). */
  readonly bytesSent: number;
  /** Bytes written but not yet taken by the kernel (`res.writableLength`). */
  readonly bufferedBytes: number;
  /** True while the socket asks us to wait for `drain`. */
  readonly slow: boolean;
}

/**
Why a connection ended: the client left (`client-closed`), `close()` or `closeAll()`
hung up (`server-closed`), it held more than `maxBufferedBytes` unsent
(`slow-client`), its `?closeAfter=` count was reached (`close-after`), the stream
or its listener stopped (`stopped`), or its socket failed (`error`).
*/
export type DisconnectReason = 'client-closed' | 'server-closed' | 'slow-client' | 'close-after' | 'stopped' | 'error';

/**
The default type of a connection's `state`: a record of anything. Give `createSse` a
type argument (`createSse<{ userId?: string }>()`) to type it.
*/
export type SseConnectionState = Record<string, unknown>;

/**
One connection of a stream, for the application: made when a request passes the
stream's own checks (just before `onConnect`), given to `onConnect`, carried by every
lifecycle event about the connection (`connection`, beside `info`, a snapshot), listed
in `sse.connections`, and what `sse.handle()` resolves to.
The same object for the connection's whole life; it gets its number when it opens.
`State` is the type of its `state` (see `createSse`).

@example
```ts
sse.subscribe((event) => {
  if (event.type === 'connected') {
    event.connection.send({ event: 'welcome', data: `you are #${event.connection.id}` });
  }
});
```
*/
export interface SseConnection<State extends object = SseConnectionState> {
  /**
  The connection number (#1, #2 …), as in `sse.connections` and `sendTo`. 0 until
  the stream opens (inside `onConnect`, and on a refused request): only connections
  that stream are numbered, so refusals leave no gaps.
  */
  readonly id: number;
  /** The Last-Event-ID the client asked for (header, else `?lastEventId=`), exactly as sent; undefined if none. */
  readonly lastEventId: string | undefined;
  /** The peer's address, captured when the request arrived. */
  readonly remoteAddress: string;
  /** The peer's port. */
  readonly remotePort: number;
  /** Request path and query, with any `token` query value redacted. */
  readonly path: string;
  /** The stream's `channel` option, if it has one. */
  readonly channel: string | undefined;
  /**
  The request, for its headers, cookies or socket. For a connection made by
  `sse.fetch`, a view with `method`, `url`, `headers`, `httpVersion` and
  `socket.remoteAddress`/`remotePort` only (see `Sse.fetch`).
  */
  readonly request: IncomingMessage;
  /** True from when the stream starts until the connection ends (false inside `onConnect`). */
  readonly isOpen: boolean;
  /**
   * The application's data about this connection (a user id, a room), for `onConnect` to
   * set and for later sends and `filter`s to read. Its own object, never shared with
   * another connection; it starts empty (`{}`), so declare the fields of `State` optional
   * or set them in `onConnect`. The stream never reads it.
   * @example
   * ```ts
   * const sse = createSse<{ room?: string }>({
   *   onConnect(req, connection) {
   *     connection.state.room = new URL(req.url ?? '/', 'http://x').searchParams.get('room') ?? 'lobby';
   *   },
   * });
   * sse.sendNewEvent({ data: 'hi room a' }, { filter: (connection) => connection.state.room === 'a' });
   * ```
   */
  state: State;
  /** A fresh snapshot of it and its counters (what lifecycle events carry as `info`). */
  info(): ConnectionInfo;
  /**
  Sends an event to this connection only, validated as `sendNewEvent` validates,
  never stored (so it takes no id).
  @throws {@link NoSuchConnectionError} (`ERR_SSE_NO_SUCH_CONNECTION`) when the connection is not open.
  @throws {@link SseFieldError} (`ERR_SSE_FIELD`) for a field that cannot be sent.
  */
  send(input: SseDirectEventInput): SentEvent;
  /**
  Hangs up this connection (a browser reconnects after its retry time), reported as
  `reason` (default `server-closed`). Closing is idempotent: false, and no error,
  when it was not open.
  */
  close(reason?: 'server-closed' | 'stopped'): boolean;
}

/** Typed lifecycle events the stream emits, for the UI, logs and tests; `State` is the connections' `state` type. */
export type SseLifecycleEvent<State extends object = SseConnectionState> =
  | { readonly type: 'connected'; readonly info: ConnectionInfo; readonly connection: SseConnection<State> }
  | {
      readonly type: 'disconnected';
      readonly info: ConnectionInfo;
      readonly connection: SseConnection<State>;
      readonly reason: DisconnectReason;
    }
  | { readonly type: 'sent'; readonly event: SentEvent; readonly to?: number }
  | { readonly type: 'comment'; readonly text: string; readonly connectionCount: number }
  /** The heartbeat comment (`: heartbeat`) went to every connection. */
  | { readonly type: 'heartbeat'; readonly connectionCount: number }
  | {
      readonly type: 'replayed';
      readonly info: ConnectionInfo;
      readonly connection: SseConnection<State>;
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
      /** The refused connection, when `onConnect` refused it (earlier refusals have none). */
      readonly connection?: SseConnection<State>;
    }
  | {
      readonly type: 'gap';
      readonly info: ConnectionInfo;
      readonly connection: SseConnection<State>;
      /** The Last-Event-ID: a number when it is a decimal integer, else the text. */
      readonly requestedId: number | string;
      readonly oldestId: number | string;
    }
  | {
      readonly type: 'unknown-last-event-id';
      readonly info: ConnectionInfo;
      readonly connection: SseConnection<State>;
      readonly value: string;
    }
  /** `size` and `nextId` are the built-in store's; 0 for a store that does not tell. */
  | { readonly type: 'history-changed'; readonly size: number; readonly nextId: number };

/** A lifecycle listener, for `sse.subscribe()`. */
export type SseListener<State extends object = SseConnectionState> = (event: SseLifecycleEvent<State>) => void;

/** What an `onConnect` hook answers: a status other than 200 refuses the stream. */
export interface ConnectAnswer {
  /** 200 streams; 201–599 refuses (a 204 tells a browser to stop reconnecting). */
  readonly status: number;
  /** Extra response headers (for 200, added to the stream's own). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Body for a refusal (ignored for 200). */
  readonly body?: string;
}

/**
Decides, per request, whether to stream: return nothing (or status 200, with extra
headers) to stream, or another status to refuse. May be async.
`connection` is the connection it would become (not open yet: `send` throws); set its
`state` here for later sends and filters to read.
For `sse.fetch`, `req` is a view of the Request in node:http's shape (see `Sse.fetch`).
*/
export type OnConnect<State extends object = SseConnectionState> = (
  req: IncomingMessage,
  connection: SseConnection<State>,
  // `void` on purpose: a hook that only looks at the request may return nothing at all.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
) => ConnectAnswer | undefined | void | Promise<ConnectAnswer | undefined | void>;

/**
What `createSse` takes. Every option is checked once, at creation: a bad one throws an
`SseArgumentError` naming it and the valid form.
*/
export interface SseOptions<State extends object = SseConnectionState> {
  /** Most events kept for replay; the oldest are dropped past it. Default 1000. */
  readonly historyLimit?: number;
  /**
  Most bytes (encoded events) kept for replay, beside `historyLimit`; the oldest are
  dropped past it. Default 64 MiB. An event with an id larger than this (encoded)
  is refused with `ERR_SSE_EVENT_TOO_LARGE`, since it could never be replayed.
  */
  readonly historyMaxBytes?: number;
  /** Heartbeat comment interval in ms; 0 turns it off. Default 15000. */
  readonly heartbeatMs?: number;
  /** A connection with more than this many bytes unsent is dropped. Default 8 MiB. */
  readonly maxBufferedBytes?: number;
  /**
   * Gathers sends for up to this many milliseconds and writes them as one chunk per
   * connection: fewer writes (less CPU per event under a flood) for up to this much
   * added latency. Default 0: sends are written at the end of the tick they were made in.
   * `sendTo`, filtered sends, new connections, `close` and `stop` write what is gathered
   * first, so order is kept. 0 to 1000.
   */
  readonly flushMs?: number;
  /** If set, `retry: N` is written first on every new connection. */
  readonly retryMs?: number;
  /** Origins allowed by CORS: a list, or '*'. Default: none (same origin only). */
  readonly corsOrigins?: readonly string[] | '*';
  /** Most live connections; more are answered 503. Default: unlimited. */
  readonly maxConnections?: number;
  /** If set, streams require `?token=T` or `Authorization: Bearer T` (else 401). */
  readonly token?: string;
  /** Decides, per request, whether to stream, and may set the connection's `state` (see {@link OnConnect}). */
  readonly onConnect?: OnConnect<State>;
  /**
   * Turns event `data` that is not a string into the text sent (and stored for replay):
   * called once per send, never per connection. Default: `JSON.stringify`, refusing what
   * JSON cannot hold (`undefined`, functions, symbols, BigInt, cycles) with an
   * `SseArgumentError`. Strings are never passed to it: they are sent exactly as given.
   * Must return a string.
   * @example
   * ```ts
   * import superjson from 'superjson';
   * const sse = createSse({ serialize: (data) => superjson.stringify(data) });
   * ```
   */
  readonly serialize?: (data: unknown) => string;
  /** Replay log to start from (e.g. restored from a file); the counter continues past its largest numeric id. */
  readonly initialHistory?: readonly HistoryRecord[];
  /**
  The first id to issue, when ids up to it were issued before (e.g. the history was
  cleared before a restart). Ids continue after the larger of this and the largest numeric initial id.
  */
  readonly initialNextId?: number;
  /**
  This stream's channel name. In this library a channel is a stream of its own, served
  at `/events/NAME` beside others (see `SseServerOptions.channels`): its own connections,
  replay log and ids. It is not better-sse's channel (a broadcast group of sessions):
  to send to some connections of one stream, use `sendNewEvent(input, { filter })`
  with their `state`. Shown on the stream's connections (`SseConnection.channel`).
  */
  readonly channel?: string;
  /**
  Issues connection numbers. Give several streams the same function so their numbers
  never clash (`close 3` then names one connection). Default: 1, 2, 3 … per stream.
  */
  readonly connectionIds?: () => number;
  /**
  Called synchronously with every stored event before it is written to any socket
  (for the built-in memory log; not with `store`, which keeps events itself).
  */
  readonly persist?: (record: HistoryRecord) => void;
  /**
  Where stored events are kept for replay (see {@link ReplayStore}): `createMemoryStore()`
  (the default, made from `historyLimit`, `historyMaxBytes`, `initialHistory` and
  `initialNextId`, which may then not be given here), `openHistoryFileStore(path)`, or
  your own. With a store that is not `synchronous`, store events with `publish`.
  */
  readonly store?: ReplayStore;
  /**
  Honour `?closeAfter=N` on stream URLs: hang up after N events (1–10000), so a
  demo page shows a browser's reconnect. Default false: the query
  parameter is ignored.
  */
  readonly closeAfterQuery?: boolean;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/**
What `sendNewEvent` may be told beside the event: which connections get it.
*/
export interface SseSendOptions<State extends object = SseConnectionState> {
  /**
  Sends to the connections it answers true for (it sees each open connection,
  `state` included), and to no other. Called for every open connection before anything
  is written; if it throws, nothing is sent. A filtered event is never stored, so it
  takes no `id` (refused with an `SseFieldError`): a connection that reconnects would
  otherwise be replayed events chosen for others.
  */
  readonly filter: (connection: SseConnection<State>) => boolean;
}

/**
An event stream: live connections plus the replay log. Made by `createSse`; `State` is
the type of each connection's `state`.
*/
export interface Sse<State extends object = SseConnectionState> {
  /**
   * Sends an event to every connection; with `id` it is stored for replay first.
   * Returns the record sent.
   * @throws {@link SseFieldError} (`ERR_SSE_FIELD`) for a field that cannot be sent (an event name with a line break, a bad id or retry).
   * @throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) when `input` is not an object, or its `data` cannot be serialized.
   * @throws {@link SseError} (`ERR_SSE_STOPPED`) after `stop()`: nothing is sent or stored.
   * @throws {@link SseError} (`ERR_SSE_EVENT_TOO_LARGE`) for an event with an id whose encoded bytes
   * exceed `historyMaxBytes`: it could never be replayed, so nothing is sent or stored (send it
   * without an id, or raise `historyMaxBytes`).
   * @example
   * ```ts
   * sse.sendNewEvent({ data: 'Hello', id: true }); // stored as 1, 2, 3 …
   * sse.sendNewEvent({ event: 'order', data: '{"n":7}', id: 'order-7' }); // the application's id
   * sse.sendNewEvent({ data: 'not stored' });
   * sse.sendNewEvent({ event: 'cart', data: { items: 3 } }); // data: {"items":3}
   * ```
   */
  sendNewEvent(input: SseEventInput): SentEvent;
  /**
   * Sends an event to the connections `options.filter` picks (see {@link SseSendOptions}),
   * encoded once for all of them. Never stored, so `input` takes no `id`. The record's
   * `connectionCount` is how many it was written to.
   * @throws {@link SseFieldError} (`ERR_SSE_FIELD`) for an `id`, or a field that cannot be sent.
   * @throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) when `filter` is not a function, or as the one-argument form (`input`, `data`).
   * @throws {@link SseError} (`ERR_SSE_STOPPED`) after `stop()`.
   * @example
   * ```ts
   * sse.sendNewEvent({ event: 'chat', data: { text: 'hi' } }, { filter: (connection) => connection.state.room === 'a' });
   * ```
   */
  sendNewEvent(input: SseDirectEventInput, options: SseSendOptions<State>): SentEvent;
  /**
   * Sends an event to every connection, as `sendNewEvent`, with any store: a stored one
   * is sent once its store has kept it, under the id the store answered. Sends made
   * with `publish` go out in call order. With a synchronous store it settles at once
   * with what `sendNewEvent` returns. With a store shared by several processes (one
   * with `follow`, such as `sse-console/redis`), it settles once the log holds the
   * event; every process, this one included, sends it when its feed reads it, in the
   * log's order (`connectionCount` is this process's connections when it was stored).
   * @throws {@link SseFieldError} (`ERR_SSE_FIELD`) or {@link SseArgumentError} as `sendNewEvent` (as a rejection), or the store's own error when it could not keep the event (nothing is sent): `ERR_SSE_STORE_UNAVAILABLE` from the Redis engine while Redis is unreachable.
   * @example
   * ```ts
   * const sent = await sse.publish({ event: 'order', data: 'n=7', id: true });
   * console.log(sent.id); // whatever id the store issued
   * ```
   */
  publish(input: SseEventInput): Promise<SentEvent>;
  /**
  Sends to one connection, by number (the console's `send --to`); never stored.
  Holding the connection, use `connection.send()`.
  @throws {@link NoSuchConnectionError} (`ERR_SSE_NO_SUCH_CONNECTION`) when that connection is not open.
  @throws {@link SseFieldError} (`ERR_SSE_FIELD`) for a field that cannot be sent, or an `id`.
  */
  sendTo(connectionId: number, input: SseDirectEventInput): SentEvent;
  /**
  Sends a block with only an `id:` field to every connection, as a recorded stream may
  hold one: a browser fires no event but sets its last event ID to `id` (`''` clears
  it) and sends it as Last-Event-ID when it reconnects. Nothing is stored and no
  lifecycle event is emitted. Returns the connection count.
  @throws {@link SseFieldError} (`ERR_SSE_FIELD`) for an id with CR, LF or NUL.
  */
  sendIdOnly(id: string): number;
  /**
  Writes a `: text` comment to every connection. Returns the connection count.
  @throws {@link SseFieldError} (`ERR_SSE_FIELD`) when `text` is not a string.
  */
  sendComment(text: string): number;
  /**
   * Serves one request as a stream: mount it in any node:http or Express app. The
   * request goes through the stream's rules (method, CORS origin, token, capacity,
   * `onConnect`); a refused one is answered (4xx/5xx with a plain-text reason) and
   * reported as a `refused` lifecycle event. Resolves, never rejects: to the
   * connection once it streams, or to undefined when the request was answered without
   * a stream (refused, HEAD, OPTIONS, or the client left first).
   * @example
   * ```ts
   * const server = http.createServer(async (req, res) => {
   *   if (req.url !== '/events') return void res.writeHead(404).end();
   *   const connection = await sse.handle(req, res);
   *   connection?.send({ event: 'hello', data: `you are #${connection.id}` });
   * });
   * ```
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<SseConnection<State> | undefined>;
  /**
   * Serves one web-standard Request as a stream, for fetch-handler servers: Bun,
   * Deno, Hono, or anything that answers a `Request` with a `Response`. The same
   * rules and behaviour as `handle` (methods, CORS, token, capacity, `onConnect`,
   * Last-Event-ID and `?lastEventId=` replay, heartbeats, `closeAfter`): a refusal,
   * HEAD or OPTIONS resolves to a plain Response; a stream resolves to a 200 whose
   * body is a byte stream. Bytes the client's side has not read yet count against
   * `maxBufferedBytes` (past it the connection is dropped as `slow-client`); the
   * connection ends when `request.signal` aborts or the body is cancelled. Resolves,
   * never rejects.
   *
   * `onConnect` and `SseConnection.request` see the request as node:http's shape with
   * only `method`, `url` (path and query), `headers` (lower-case names), `httpVersion`
   * and `socket.remoteAddress`/`remotePort` (from `options`: a fetch handler has no
   * socket of its own to ask).
   * @throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) when `request` is not a Request with an absolute URL, or `options` is not valid.
   * @example
   * ```ts
   * // Hono
   * app.get('/events', (c) => sse.fetch(c.req.raw));
   * // Bun
   * Bun.serve({ fetch: (req, server) => sse.fetch(req, { remoteAddress: server.requestIP(req)?.address }) });
   * // Deno
   * Deno.serve((req, info) => sse.fetch(req, { remoteAddress: info.remoteAddr.hostname }));
   * ```
   */
  fetch(request: Request, options?: SseFetchOptions): Promise<Response>;
  /**
  Answers a request the stream will not serve, as the stream answers its own
  refusals, and reports it as a `refused` lifecycle event: for a router in front of
  the stream that refuses a request itself (a wrong Host, a path it does not know).
  `body` is sent as text/plain; `reason` is what the lifecycle event says (default: `body`).
  */
  refuse(req: IncomingMessage, res: ServerResponse, answer: SseRefusal): void;
  /**
  The open connections, in connection order (a new array on each read); for a
  snapshot of each one's counters, `sse.connections.map((connection) => connection.info())`.
  */
  readonly connections: readonly SseConnection<State>[];
  /**
  The replay log, oldest first. For a store other than the built-in ones, what its
  `readAfter(undefined)` answers when it is `synchronous`, else empty (ask the store).
  */
  readonly history: readonly HistoryRecord[];
  /**
  The id the next `id: true` event will get. It never goes backwards (not on clear,
  not on replace) and moves past every numeric id stored, so an id is never issued
  twice; past 2^53−1 (Number.MAX_SAFE_INTEGER) `id: true` sends are refused.
  */
  readonly nextId: number;
  /**
  Calls `listener` with every lifecycle event; returns the function that unsubscribes.
  A listener that throws does not stop the others, the stream or the send that
  caused the event: its exception is re-thrown on a microtask, where it reaches
  `process.on('uncaughtException')` (as an EventTarget listener's does). Catch inside
  the listener what you expect to throw.
  @throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) when `listener` is not a function.
  */
  subscribe(listener: SseListener<State>): () => void;
  /**
  Hangs up one connection by number (a browser reconnects after its retry time).
  Holding the connection, use `connection.close()`, which never throws.
  @throws {@link NoSuchConnectionError} (`ERR_SSE_NO_SUCH_CONNECTION`) when that connection is not open.
  */
  close(connectionId: number): void;
  /** Hangs up every connection; returns how many. */
  closeAll(): number;
  /**
  Empties the replay log (ids are not reused).
  @throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) when the stream's store is not `synchronous`: call `await store.clear()` on it.
  */
  clearHistory(): void;
  /**
  Replace the replay log (records in insertion order; ids are numbers or strings).
  The next id moves past the largest numeric id if that is larger; it never moves backwards.
  @throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) or {@link SseFieldError} for a record that is not valid; the log is then unchanged.
  Also `SseArgumentError` when the stream's store has no `replace`, or is not `synchronous` (call `await store.replace(records)` on it).
  */
  replaceHistory(records: readonly HistoryRecord[]): void;
  /**
  Replace the connect hook at run time (the console's `respond`).
  @throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) when `hook` is neither a function nor undefined.
  */
  setOnConnect(hook: OnConnect<State> | undefined): void;
  /** End every stream and timer; the stream accepts no more connections (503), and `sendNewEvent` throws `ERR_SSE_STOPPED`. */
  stop(): void;
}

/** What `sse.fetch()` may be told about a request, beyond the Request itself. */
export interface SseFetchOptions {
  /** The client's address, as the server in front knows it (shown on the connection; default ''). */
  readonly remoteAddress?: string | undefined;
  /** The client's port (default 0). */
  readonly remotePort?: number | undefined;
}

/** What `sse.refuse()` answers. */
export interface SseRefusal {
  /** 400–599. */
  readonly status: number;
  /** The plain-text body. */
  readonly body: string;
  /** What the `refused` lifecycle event says; default `body`. */
  readonly reason?: string;
  /** Extra response headers (CORS headers are added as the stream's own refusals get them). */
  readonly headers?: Readonly<Record<string, string>>;
}
