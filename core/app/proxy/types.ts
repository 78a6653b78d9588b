import type { DecodedEvent, SseConnectWarning } from '../../index.js';

/** A proxied `text/event-stream` response, as observers see it (a snapshot). */
export interface ProxyStreamInfo {
  /** 1, 2, 3 … in order, never reused. */
  readonly id: number;
  readonly method: string;
  /** Path and query as the browser asked (the proxy's token removed). */
  readonly path: string;
  /** The URL the request was forwarded to. */
  readonly upstreamUrl: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly userAgent: string;
  /** The Last-Event-ID header the browser sent, if any. */
  readonly lastEventIdSent: string | undefined;
  /** The last event ID the browser now holds (from the events that passed). */
  readonly lastEventId: string;
  readonly openedAt: number;
  /** Events (not comments) that reached the browser, injected ones included. */
  readonly events: number;
  /** Bytes written to the browser. */
  readonly bytes: number;
  /** Bytes written to the browser that its socket has not taken yet. */
  readonly bufferedBytes: number;
  /** Bytes held back by `pause`, `delay` or `buffer`. */
  readonly heldBytes: number;
  /**
  The proxy has stopped reading the upstream (back-pressure): the browser's socket is
  full, or `pause`/`delay` hold as much as they may. It reads again once that drains.
  */
  readonly upstreamPaused: boolean;
  /** The faults in force on this stream, in words ("" when none). */
  readonly faults: string;
}

/** How an event was treated on its way to the browser. */
export type EventTreatment = 'passed' | 'delayed' | 'dropped' | 'injected';

/** Why a proxied stream ended. */
export type StreamEndReason =
  | 'upstream-ended'
  | 'browser-closed'
  | 'closed-by-console'
  | 'upstream-error'
  | 'stopped'
  /** `idle-cut`: no byte from upstream for that long. */
  | 'idle-cut';

/** A non-stream request, reported once it is answered. */
interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly contentType: string | undefined;
  readonly remoteAddress: string;
  /** Set when the proxy answered itself (502, 504, 401 …): why. */
  readonly problem?: string;
}

/** What the proxy reports, in order, to the console (or any observer). */
export type ProxyReport =
  | { readonly type: 'request'; readonly request: ProxiedRequest }
  | {
      readonly type: 'stream-open';
      readonly stream: ProxyStreamInfo;
      readonly status: number;
      readonly warnings: readonly SseConnectWarning[];
    }
  | {
      readonly type: 'stream-event';
      readonly stream: ProxyStreamInfo;
      readonly event: DecodedEvent;
      readonly treatment: EventTreatment;
      /** For 'delayed': how long it was held. */
      readonly heldMs?: number;
    }
  | { readonly type: 'stream-comment'; readonly stream: ProxyStreamInfo; readonly text: string }
  | { readonly type: 'stream-retry'; readonly stream: ProxyStreamInfo; readonly retryMs: number }
  | { readonly type: 'stream-ignored-line'; readonly stream: ProxyStreamInfo; readonly message: string }
  /** The exact bytes written to the browser (for `raw on`). */
  | {
      readonly type: 'stream-bytes';
      readonly stream: ProxyStreamInfo;
      readonly bytes: Buffer;
      readonly injected: boolean;
    }
  | { readonly type: 'stream-warning'; readonly stream: ProxyStreamInfo; readonly message: string }
  | {
      readonly type: 'stream-close';
      readonly stream: ProxyStreamInfo;
      readonly reason: StreamEndReason;
      readonly detail?: string;
    }
  | {
      readonly type: 'answered';
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly why: string;
    }
  | { readonly type: 'upgrade'; readonly path: string; readonly outcome: string };

/** What `respond` makes the proxy answer stream requests with, instead of asking upstream. */
export interface ProxyAnswer {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  /** Answer one request this way, then forward again. */
  readonly once: boolean;
}
