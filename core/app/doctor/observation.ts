/** One event as the doctor saw it arrive. */
export interface ObservedEvent {
  /** Milliseconds since the request was made, when the bytes that completed it arrived. */
  readonly atMs: number;
  /** Wall-clock time of arrival (epoch ms), to compare with a timestamp the server put in the data. */
  readonly wallMs: number;
  readonly type: string;
  /** The start of the data (at most DATA_KEPT characters: a watch keeps no whole payloads). */
  readonly data: string;
  /** The send time the server put in the data, if any (see server-timestamp.ts), read before the data was cut. */
  readonly sentMs: number | undefined;
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
  /** Body chunks as they came off the socket (before any decompression). */
  readonly chunkCount: number;
  /** When the last body byte arrived (the head's time when none did), ms since the request. */
  readonly lastByteAtMs: number;
  /** The longest wait between the head and a body chunk, or between two chunks (the quiet time at the end not included). */
  readonly longestSilenceMs: number;
  /** The newest events (at most KEPT_RECORDS: a long watch of a fast stream stays bounded). */
  readonly events: readonly ObservedEvent[];
  /** Every event seen, kept or not. */
  readonly eventCount: number;
  /** Arrival times of the newest comment lines (heartbeats; at most KEPT_RECORDS). */
  readonly commentsAtMs: readonly number[];
  /** Every comment line seen. */
  readonly commentCount: number;
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

/** Most events and comments a watch keeps (the newest): enough for every check, bounded whatever the stream sends. */
export const KEPT_RECORDS = 10_000;

/** Characters of an event's data a watch keeps, for a reset event's report. */
export const DATA_KEPT = 200;

/** Appends to a list that keeps only its newest `KEPT_RECORDS` entries (trimmed in halves, so appending stays O(1)). */
export function keepNewest<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length >= 2 * KEPT_RECORDS) list.splice(0, list.length - KEPT_RECORDS);
}
