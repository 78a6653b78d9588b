import type { SseClientError } from '../errors/sse-error.js';

// The class lives in client-error.ts; the callback types below name it.
export type { SseClientError };

/**
Types of the SSE client engine: a fetch-based client that takes an event stream the
way a browser's `EventSource` does (WHATWG HTML §9.2), and reports everything it sees
so a console can teach what happened.
*/

/** Mirrors `EventSource.readyState`: CONNECTING, OPEN, CLOSED. */
export type SseClientState = 'connecting' | 'open' | 'closed';

/** One event as a browser would fire it. */
export interface SseClientEvent {
  /** The event type: the `event:` field, or `message` when absent or empty. */
  readonly event: string;
  /** The data buffer with its one trailing LF removed. May be the empty string. */
  readonly data: string;
  /**
  The `id:` field of this event's own block, if it had one ("" for a bare `id:`,
  which clears the id). `undefined` means the id was carried over from earlier.
  */
  readonly id: string | undefined;
  /** What `MessageEvent.lastEventId` would be: sticky across events and reconnects. */
  readonly lastEventId: string;
  /** When the event was dispatched. */
  readonly time: Date;
}

/** A line the parser ignored, as a browser silently does; shown to teach why. */
export interface SseIgnoredLine {
  /** Why: a field name the spec does not know, or a `retry:` that is not all digits. */
  readonly reason: 'unknown-field' | 'invalid-retry';
  /** The whole line as received (without its line ending). */
  readonly line: string;
  /** The field name, for an unknown field. */
  readonly field: string | undefined;
  /** Plain words: what was ignored and what the valid form is. */
  readonly message: string;
  /** When it happened. */
  readonly time: Date;
}

/** Something about the response headers that commonly breaks or delays streams. */
export interface SseConnectWarning {
  /** Which problem: a header, or (`cross-origin-redirect`) a redirect to another origin whose response a browser's CORS check refuses. */
  readonly code:
    | 'content-encoding'
    | 'cache-control-missing'
    | 'cache-control-weak'
    | 'x-accel-buffering'
    | 'content-length'
    | 'transfer-encoding'
    | 'charset'
    | 'cross-origin-redirect';
  /** `warning` is likely to break the stream; `hint` matters behind proxies. */
  readonly level: 'warning' | 'hint';
  /** Plain words: what the header does to a stream and how to fix it. */
  readonly message: string;
}

/** The accepted response: status 200 and a `text/event-stream` Content-Type. */
export interface SseConnectInfo {
  /** The final URL after redirects (what `MessageEvent.origin` is derived from). */
  readonly url: string;
  /** True when the response came after a redirect. */
  readonly redirected: boolean;
  /** The HTTP status (200). */
  readonly status: number;
  /** The HTTP status text. */
  readonly statusText: string;
  /** Response headers as fetch gives them: names lower-cased, sorted by name. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** Header problems that commonly break or delay streams (see `SseConnectWarning`). */
  readonly warnings: readonly SseConnectWarning[];
  /** 1 for the first connection, 2 for the first reconnect … */
  readonly attempt: number;
  /** The Last-Event-ID header sent with this request, if any. */
  readonly lastEventIdSent: string | undefined;
  /** The request method (GET unless asked otherwise). */
  readonly method: string;
  /** When it happened. */
  readonly time: Date;
}

/**
A response the client did not take as an event stream (a status other than 200, or a
Content-Type other than text/event-stream), with the start of its body: what a page
using fetch() would read, and what a browser's EventSource hides behind its `error`.
*/
export interface SseRejectedResponse {
  /** The final URL after redirects. */
  readonly url: string;
  /** True when the response came after a redirect. */
  readonly redirected: boolean;
  /** The HTTP status. */
  readonly status: number;
  /** The HTTP status text. */
  readonly statusText: string;
  /** Response headers as fetch gives them: names lower-cased, sorted by name. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The body read, decoded as UTF-8 (at most 64 KiB of bytes; see `bodyEnd`). */
  readonly body: string;
  /** How many bytes of the body were read. */
  readonly bodyBytes: number;
  /**
  Why reading stopped: `complete` (the body ended), `limit` (64 KiB were read; the
  body goes on), `timeout` (it had not ended 2 s after the headers, as a stream
  answered with an error status may never), `error` (the connection failed).
  */
  readonly bodyEnd: 'complete' | 'limit' | 'timeout' | 'error';
}

/** What kind of failure an {@link SseClientError} reports (its `code` is `ERR_SSE_CLIENT_` + this in upper case). */
export type SseClientErrorKind =
  /** The status was not 200 (204 included): the connection fails for good. */
  | 'bad-status'
  /** The Content-Type's MIME essence was not text/event-stream: fails for good. */
  | 'bad-content-type'
  /** A charset other than UTF-8 with `strictCharset` (Chromium's rule): fails for good. */
  | 'bad-charset'
  /**
  The request could not be sent as asked (the Last-Event-ID to resume from is not a
  valid header value, e.g. it holds ESC): fails for good, as Chromium stops there.
  */
  | 'request-refused'
  /** One line or event passed `maxBufferSize`: the connection is dropped (then reconnects). */
  | 'buffer-overflow'
  /** Could not connect, or the connection dropped mid-stream. */
  | 'network';

/** What `onReconnecting` gets: the client waits, then asks again (as EventSource does). */
export interface SseReconnectInfo {
  /**
  How long the client waits before the next request: the reconnection time, but never
  less than `minReconnectDelayMs`. A delay beyond a timer's range is waited in steps.
  */
  readonly delayMs: number;
  /** The reconnection time (the server's last `retry:` or the default). */
  readonly retryMs: number;
  /** Where the coming request goes: the URL of the last response, after redirects. */
  readonly url: string;
  /** The attempt number of the coming request. */
  readonly attempt: number;
  /** Sent as `Last-Event-ID` with the coming request when not empty. */
  readonly lastEventId: string;
  /** Why the previous connection ended, in plain words. */
  readonly reason: string;
  /** When it happened. */
  readonly time: Date;
}

/** Why a client closed. */
export type SseCloseReason =
  /** `close()` was called. */
  | 'closed'
  /** A fatal error: non-200, wrong Content-Type, or a network error without reconnect. */
  | 'failed'
  /** The server ended the body and reconnecting is turned off. */
  | 'ended';

/** What `onClose` and `client.closed` give. */
export interface SseCloseInfo {
  /** Why it closed. */
  readonly reason: SseCloseReason;
  /** Plain words, for a person. */
  readonly message: string;
  /** When it happened. */
  readonly time: Date;
}

/** What `createSseClient` takes: a URL and the callbacks for what happens on the stream. */
export interface SseClientOptions {
  /** An absolute http:// or https:// URL. */
  readonly url: string | URL;
  /** Extra request headers; they override the defaults (Accept, Cache-Control). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
  Start as if this id had already been received: it is sent as `Last-Event-ID` on the
  first request too (a browser only sends it on reconnects; this simulates resuming).
  */
  readonly lastEventId?: string;
  /**
  The request method. Default GET, the only one EventSource uses; any other (POST for
  LLM token streams, MCP's Streamable HTTP …) follows fetch's semantics.
  */
  readonly method?: string;
  /** A request body (with a method that takes one); sent again on every reconnect. */
  readonly body?: string | Uint8Array;
  /**
  Reconnect after a network error or a clean end of body, as browsers do. Default true
  for GET and false for other methods (re-sending a POST is the caller's call).
  */
  readonly reconnect?: boolean;
  /** The reconnection time until the server sends `retry:`. Default 3000 ms (Chromium). */
  readonly retryMs?: number;
  /**
  Never reconnect sooner than this many ms, whatever `retry:` says (a server sending
  `retry: 0` and closing must not get a request storm). Default 100.
  */
  readonly minReconnectDelayMs?: number;
  /**
  Most characters buffered for one unfinished line plus one undispatched event; past
  it the connection is dropped and reported (`buffer-overflow`), then reconnects per
  the rules. Default 4 MiB of characters.
  */
  readonly maxBufferSize?: number;
  /** Fail a charset other than UTF-8 as Chromium does, instead of warning. Default false. */
  readonly strictCharset?: boolean;
  /** Cut a body silent for this many ms. Default 0: never, as a browser. */
  readonly idleTimeoutMs?: number;
  /** Accept any TLS certificate (self-signed …). Default false. */
  readonly insecure?: boolean;
  /**
  Default: the `undici` package's fetch with no idle timeout (see create-http-transport).
  A fetch given here is used as it is (its own timeouts apply, and a reset that ends a
  body with neither length nor chunking cannot be told from a clean end).
  */
  readonly fetch?: typeof globalThis.fetch;
  /** Each accepted response (status 200, text/event-stream), reconnects included. */
  readonly onConnect?: (info: SseConnectInfo) => void;
  /** Each event, as a browser would dispatch it. */
  readonly onEvent?: (event: SseClientEvent) => void;
  /**
  Each block with an `id:` field and no data (`id: 9` then a blank line): a browser
  fires no event for it, but its last event ID becomes `id` ('' clears it).
  */
  readonly onIdOnly?: (id: string, time: Date) => void;
  /** Each comment line (`: text`), text without the colon and one leading space. */
  readonly onComment?: (comment: string, time: Date) => void;
  /**
  The server's `retry:` field changed the reconnection time (applies at once). An empty
  `retry:` sets it back to the initial time, as Chromium does.
  */
  readonly onRetry?: (retryMs: number, time: Date) => void;
  /** A line a browser would silently ignore. */
  readonly onIgnoredLine?: (ignored: SseIgnoredLine) => void;
  /** A failure: `fatal` ones close the client, the others are followed by a reconnect. */
  readonly onError?: (error: SseClientError) => void;
  /** The client is about to wait, then reconnect. */
  readonly onReconnecting?: (info: SseReconnectInfo) => void;
  /** Called once, when the client reaches `closed` for any reason. */
  readonly onClose?: (info: SseCloseInfo) => void;
  /** Every chunk of body bytes exactly as received, before parsing. */
  readonly onBytes?: (bytes: Uint8Array, time: Date) => void;
}

/**
A running client (what `createSseClient` returns). A callback that throws does not
stop it: the exception is re-thrown on a microtask (process 'uncaughtException'), as
an EventTarget listener's is, and the stream goes on.
*/
export interface SseClient {
  /** Abort the request or the pending reconnect; fires `onClose` with `closed`. */
  close(): void;
  /** As `EventSource.readyState`. */
  readonly state: SseClientState;
  /** The last event ID string: sent as `Last-Event-ID` on reconnect when not empty. */
  readonly lastEventId: string;
  /** The current reconnection time in ms. */
  readonly retryMs: number;
  /** Resolves when the client has closed, with the same info `onClose` gets. */
  readonly closed: Promise<SseCloseInfo>;
}
