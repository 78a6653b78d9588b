/** One event as the doctor saw it arrive. */
export interface ObservedEvent {
  /** Milliseconds since the request was made, when the bytes that completed it arrived. */
  readonly atMs: number;
  /** Wall-clock time of arrival (epoch ms), to compare with a timestamp the server put in the data. */
  readonly wallMs: number;
  readonly type: string;
  readonly data: string;
  /** The block's own `id:` field, if it had one. */
  readonly id: string | undefined;
}

/** How a watch ended. */
export type WatchEnd =
  /** The server ended the body cleanly. */
  | 'server-ended'
  /** The connection failed or was reset after the response began. */
  | 'network-error'
  /** The watch time (`--duration`) ran out with the stream still open. */
  | 'watch-over'
  /** The user stopped the watch (Ctrl+C). */
  | 'interrupted';

/** The response head as received. */
export interface ObservedResponse {
  readonly atMs: number;
  readonly status: number;
  readonly statusText: string;
  /** `1.1`, `1.0` (node:http speaks HTTP/1.x; see `alpn` for what a TLS server offers). */
  readonly httpVersion: string;
  /** Header names lower-cased; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Everything one watched request produced, with arrival times. The checks read only this. */
export interface StreamObservation {
  readonly url: string;
  readonly method: string;
  /** The request's Last-Event-ID, when one was sent. */
  readonly lastEventId: string | undefined;
  /** Set when no response arrived (refused, DNS, TLS, timeout): what went wrong, in words. */
  readonly failure: string | undefined;
  readonly response: ObservedResponse | undefined;
  /** Arrival time (ms since the request) and size of each body chunk as it came off the socket (before any decompression). */
  readonly chunks: readonly { readonly atMs: number; readonly bytes: number }[];
  readonly events: readonly ObservedEvent[];
  /** Arrival times of comment lines (heartbeats). */
  readonly commentsAtMs: readonly number[];
  /** The last valid `retry:` value, if the server sent one. */
  readonly retryMs: number | undefined;
  /** The start of a body that was not an event stream (up to 2 KiB), for the report. */
  readonly bodyStart: string;
  readonly endedAtMs: number;
  readonly end: WatchEnd;
  /** What ended it, for `network-error`. */
  readonly endMessage: string | undefined;
  /** For https: the protocols the server agreed to in TLS (ALPN), e.g. `['h2']`; undefined for http. */
  readonly alpn: string | undefined;
}
