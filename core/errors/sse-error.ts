import type { SseClientErrorKind, SseRejectedResponse } from '../client/types.js';

/*
Every error class of the library, in one module (as undici keeps one): `SseError` and
its subclasses, each with a stable `code`. Classes only: the code that decides to
throw one stays where the rule it enforces lives.
*/

/**
The codes an `SseError` carries. They are part of the public contract: branch on
`error.code` (or on the subclass), never on the message, which may be reworded.
*/
export type SseErrorCode =
  /** A value cannot be written as the SSE field it was meant for: {@link SseFieldError}. */
  | 'ERR_SSE_FIELD'
  /** An option or argument is not valid (a negative `historyLimit`, a non-function listener …): {@link SseArgumentError}. */
  | 'ERR_SSE_ARGUMENT'
  /** A listener could not bind its port: {@link ListenError}. */
  | 'ERR_SSE_LISTEN'
  /** A connection named by number, or an `SseConnection` sent to, is not open: {@link NoSuchConnectionError}. */
  | 'ERR_SSE_NO_SUCH_CONNECTION'
  /** The stream was stopped (`sse.stop()`): it sends and stores nothing more. */
  | 'ERR_SSE_STOPPED'
  /** An event to store is larger than the replay log may hold (`historyMaxBytes`), so it could never be replayed. */
  | 'ERR_SSE_EVENT_TOO_LARGE'
  /**
  The replay store could not be reached (a Redis engine while Redis is down): nothing
  was stored or sent. Sending again once it is back is safe.
  */
  | 'ERR_SSE_STORE_UNAVAILABLE'
  /** The client's response had a status other than 200: {@link SseClientError}. */
  | 'ERR_SSE_CLIENT_BAD_STATUS'
  /** The client's response was not `text/event-stream`: {@link SseClientError}. */
  | 'ERR_SSE_CLIENT_BAD_CONTENT_TYPE'
  /** The client's response had a charset other than UTF-8 under `strictCharset`: {@link SseClientError}. */
  | 'ERR_SSE_CLIENT_BAD_CHARSET'
  /** The client could not send its request as asked: {@link SseClientError}. */
  | 'ERR_SSE_CLIENT_REQUEST_REFUSED'
  /** One line or event passed the client's `maxBufferSize`: {@link SseClientError}. */
  | 'ERR_SSE_CLIENT_BUFFER_OVERFLOW'
  /** The client could not connect, or its connection dropped: {@link SseClientError}. */
  | 'ERR_SSE_CLIENT_NETWORK';

/**
The base of every error the library throws or reports. `code` is stable; the message
says what was wrong and what is valid, so it can be shown to a person as it is.

@example
```ts
try {
  sse.sendNewEvent({ event: 'a\nb' });
} catch (error) {
  if (error instanceof SseError && error.code === 'ERR_SSE_FIELD') console.error(error.message);
  else throw error;
}
```
*/
export class SseError extends Error {
  /** `SseError`. */
  override readonly name: string = 'SseError';

  constructor(
    /** What went wrong, as a stable string (see {@link SseErrorCode}). */
    readonly code: SseErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
An option or argument of a library function is not valid: thrown at once by
`createSse`, `startSseServer`, `createSseClient`, `subscribe`, `setOnConnect`,
`replaceHistory` … `argument` names it (`historyLimit`, `port`, `url` …).
*/
export class SseArgumentError extends SseError {
  /** `SseArgumentError`. */
  override readonly name: string = 'SseArgumentError';

  constructor(
    /** The option or argument that was refused. */
    readonly argument: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ERR_SSE_ARGUMENT', message, options);
  }
}

/**
Thrown by `sse.sendTo(id, …)`, `sse.close(id)` and a closed `SseConnection`'s `send`, when
the connection is not open (it never was, or it has gone). The message lists the
open ones.
*/
export class NoSuchConnectionError extends SseError {
  /** `NoSuchConnectionError`. */
  override readonly name: string = 'NoSuchConnectionError';

  constructor(
    /** The connection number asked for. */
    readonly connectionId: number,
    message: string,
  ) {
    super('ERR_SSE_NO_SUCH_CONNECTION', message);
  }
}

/** Which part of an event a refused value was meant for. */
export type SseField = 'data' | 'event' | 'id' | 'retry' | 'comment';

/**
Thrown (code `ERR_SSE_FIELD`) when a value cannot be written as the SSE field it was
meant for (an event name with a line break, a negative retry …). The message names
the field, says what a valid value looks like and shows what was given, so it can be
shown as is.
*/
export class SseFieldError extends SseError {
  /** `SseFieldError`. */
  override readonly name: string = 'SseFieldError';

  constructor(
    /** The field the refused value was meant for. */
    readonly field: SseField,
    message: string,
  ) {
    super('ERR_SSE_FIELD', message);
  }
}

/**
A listen failure explained (code `ERR_SSE_LISTEN`): what was asked, what went wrong,
what to do instead. `systemCode` is the operating system's reason (`EADDRINUSE`,
`EACCES`, `EADDRNOTAVAIL` …); the original error is the `cause`.
*/
export class ListenError extends SseError {
  /** `ListenError`. */
  override readonly name: string = 'ListenError';

  constructor(
    message: string,
    /** The system error code behind the failure (`EADDRINUSE` …), or `UNKNOWN`. */
    readonly systemCode: string,
    /** The port asked for. */
    readonly port: number,
    /** The interface asked for. */
    readonly host: string,
    options?: ErrorOptions,
  ) {
    super('ERR_SSE_LISTEN', message, options);
  }
}

const CODES: Readonly<Record<SseClientErrorKind, SseErrorCode>> = {
  'bad-status': 'ERR_SSE_CLIENT_BAD_STATUS',
  'bad-content-type': 'ERR_SSE_CLIENT_BAD_CONTENT_TYPE',
  'bad-charset': 'ERR_SSE_CLIENT_BAD_CHARSET',
  'request-refused': 'ERR_SSE_CLIENT_REQUEST_REFUSED',
  'buffer-overflow': 'ERR_SSE_CLIENT_BUFFER_OVERFLOW',
  network: 'ERR_SSE_CLIENT_NETWORK',
};

/** What an {@link SseClientError} is made from. */
export interface SseClientErrorInit {
  /** The failure in short form; it decides the `code`. */
  readonly kind: SseClientErrorKind;
  /** Plain words: what happened and what a browser does about it. */
  readonly message: string;
  /** True when the client gives up. */
  readonly fatal: boolean;
  /** The HTTP status, for `bad-status` and `bad-content-type`. */
  readonly status?: number | undefined;
  /** The system error code behind a network error. */
  readonly systemCode?: string | undefined;
  /** The refused response and the start of its body, for `bad-status`, `bad-content-type` and `bad-charset`. */
  readonly response?: SseRejectedResponse | undefined;
  /** When it happened; default now. */
  readonly time?: Date;
}

/**
What the client reports to `onError` (it never throws it: the stream goes on or
closes as a browser's would). `code` is `ERR_SSE_CLIENT_BAD_STATUS`,
`…_BAD_CONTENT_TYPE`, `…_BAD_CHARSET`, `…_REQUEST_REFUSED`, `…_BUFFER_OVERFLOW` or
`…_NETWORK`; `kind` is the same in the short form the console prints.

@example
```ts
createSseClient({
  url: 'http://127.0.0.1:8122/events',
  onError(error) {
    if (error.code === 'ERR_SSE_CLIENT_BAD_STATUS') console.error(`HTTP ${error.status}: ${error.message}`);
  },
});
```
*/
export class SseClientError extends SseError {
  /** `SseClientError`. */
  override readonly name: string = 'SseClientError';
  /** The failure in short form (`bad-status`, `network` …). */
  readonly kind: SseClientErrorKind;
  /** True when the client gives up (no reconnect follows). */
  readonly fatal: boolean;
  /** The HTTP status, for `bad-status` and `bad-content-type`. */
  readonly status: number | undefined;
  /** The system error code behind a network error (ECONNREFUSED …), if known. */
  readonly systemCode: string | undefined;
  /**
  The refused response (status, headers and the start of its body), for `bad-status`,
  `bad-content-type` and `bad-charset`: what a page using fetch() would read.
  */
  readonly response: SseRejectedResponse | undefined;
  /** When the failure was seen. */
  readonly time: Date;

  constructor(init: SseClientErrorInit) {
    super(CODES[init.kind], init.message);
    this.kind = init.kind;
    this.fatal = init.fatal;
    this.status = init.status;
    this.systemCode = init.systemCode;
    this.response = init.response;
    this.time = init.time ?? new Date();
  }
}
