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
  /** A connection named by number, or a handle's connection, is not open: {@link NoSuchConnectionError}. */
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
Thrown by `sse.sendTo(id, …)`, `sse.close(id)` and a closed handle's `send`, when
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
