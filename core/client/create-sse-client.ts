import { checkEventStreamResponse, requestSemantics } from './check-event-stream-response.js';
import { readRejectedResponse } from './read-rejected-body.js';
import { collectConnectWarnings } from './collect-connect-warnings.js';
import { createEventStreamDecoder } from './create-event-stream-decoder.js';
import { createHttpTransport } from './create-http-transport.js';
import { describeNetworkError } from './describe-network-error.js';
import { parseStreamUrl } from './parse-stream-url.js';
import { buildBaseHeaders, withLastEventId } from './request-headers.js';
import { SseArgumentError, SseClientError, type SseClientErrorInit } from '../errors/sse-error.js';
import type { SseClient, SseClientOptions, SseClientState, SseCloseInfo, SseCloseReason } from './types.js';

/** Chromium's `EventSource::kDefaultReconnectDelay`. */
const DEFAULT_RETRY_MS = 3000;

/** The floor under every reconnect delay: at most ten requests a second. */
const DEFAULT_MIN_RECONNECT_DELAY_MS = 100;

/** 4 MiB of characters for one line plus one event: far above real events, far below trouble. */
const DEFAULT_MAX_BUFFER_SIZE = 4 * 1024 * 1024;

/** The longest delay one setTimeout holds (longer ones fire after 1 ms in Node). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
Connect to an SSE endpoint and take the stream as a browser's EventSource would
(WHATWG HTML §9.2): a non-200 status or a non-event-stream Content-Type fails for good;
a network error or a clean end of body reconnects after the reconnection time, sending
`Last-Event-ID` when the last event ID string is not empty.

Where Chromium and the spec part ways, Chromium is followed (see the differential
suite, test/e2e/client-vs-chromium.test.ts), and no reconnect comes sooner than
`minReconnectDelayMs`.

Everything after the start is reported through the callbacks: failures as
`SseClientError` (code `ERR_SSE_CLIENT_…`) to `onError`. A callback that throws does
not stop the client: its exception is re-thrown on a microtask.

@throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) at once for a URL that is not
absolute http(s), a header that is not valid HTTP, or a method fetch cannot send (as
the EventSource constructor throws for a bad URL).
@example
```ts
const client = createSseClient({
  url: 'http://127.0.0.1:8122/events',
  onEvent: (event) => console.log(event.event, event.data, event.lastEventId),
  onError: (error) => console.error(error.code, error.message),
});
// later
client.close();
```
*/
export function createSseClient(options: SseClientOptions): SseClient {
  const url = parseStreamUrl(options.url);
  const baseHeaders = buildBaseHeaders(options.headers);
  const method = checkMethod(options.method ?? 'GET', options.body !== undefined);
  const transport =
    options.fetch === undefined
      ? createHttpTransport({
          ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
          ...(options.insecure === undefined ? {} : { insecure: options.insecure }),
        })
      : undefined;
  const fetchStream = options.fetch ?? transport?.fetch ?? globalThis.fetch;
  const reconnect = options.reconnect ?? method === 'GET';
  const semantics = requestSemantics(method, options.body !== undefined);
  const minReconnectDelayMs = options.minReconnectDelayMs ?? DEFAULT_MIN_RECONNECT_DELAY_MS;
  // Where the next request goes: after a redirect, the browser reconnects to the
  // redirected URL (Chromium keeps the response's URL as its current URL).
  let currentUrl = url;

  let state: SseClientState = 'connecting';
  const initialRetryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  let retryMs = initialRetryMs;
  let attempt = 0;
  let abortController: AbortController | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let overflowMessage = '';
  let resolveClosed: (info: SseCloseInfo) => void = () => {};
  const closed = new Promise<SseCloseInfo>((resolve) => {
    resolveClosed = resolve;
  });

  // A function, so TypeScript does not narrow `state` across callbacks that change it.
  const isClosed = (): boolean => state === 'closed';

  const decoder = createEventStreamDecoder({
    lastEventId: options.lastEventId ?? baseHeaders.get('last-event-id') ?? '',
    maxBufferSize: options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE,
    onEvent: (event) => {
      if (isClosed()) return;
      notify(() => options.onEvent?.({ ...event, time: new Date() }));
    },
    onIdOnly: (id) => {
      if (isClosed()) return;
      notify(() => options.onIdOnly?.(id, new Date()));
    },
    onComment: (comment) => {
      if (isClosed()) return;
      notify(() => options.onComment?.(comment, new Date()));
    },
    onRetry: (newRetryMs) => {
      if (isClosed()) return;
      // The spec applies retry at once, not at dispatch.
      retryMs = newRetryMs;
      notify(() => options.onRetry?.(newRetryMs, new Date()));
    },
    onOverflow: (message) => {
      overflowMessage = message;
    },
    onRetryReset: () => {
      if (isClosed()) return;
      retryMs = initialRetryMs;
      notify(() => options.onRetry?.(initialRetryMs, new Date()));
    },
    onIgnoredLine: (ignored) => {
      if (isClosed()) return;
      notify(() => options.onIgnoredLine?.({ ...ignored, time: new Date() }));
    },
  });

  async function connect(): Promise<void> {
    attempt += 1;
    state = 'connecting';
    const controller = new AbortController();
    abortController = controller;
    const lastEventIdSent = decoder.lastEventId === '' ? undefined : decoder.lastEventId;
    const resetsBefore = transport?.resets() ?? 0;

    let response: Response;
    try {
      response = await fetchStream(currentUrl, {
        method,
        headers: withLastEventId(baseHeaders, lastEventIdSent),
        ...(options.body === undefined ? {} : { body: options.body }),
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) return;
      if (isRefusedRequest(error)) {
        refusedRequest(lastEventIdSent, error);
        return;
      }
      networkFailure(error, 'connect');
      return;
    }
    if (controller.signal.aborted) return;
    if (response.url !== '') currentUrl = new URL(response.url);

    const failure = checkEventStreamResponse(
      response.status,
      response.statusText,
      response.headers.get('content-type'),
      { strictCharset: options.strictCharset === true, semantics },
    );
    if (failure !== undefined) {
      // An EventSource drops the body unread, but the page's developer wants it (an API's
      // JSON error, a 500's stack trace): its start is read, bounded, and reported.
      const rejected = await readRejectedResponse(response, currentUrl, (bytes, time) =>
        notify(() => options.onBytes?.(bytes, time)),
      );
      if (isClosed() || controller.signal.aborted) return;
      reportError({
        kind: failure.code,
        message: failure.message,
        fatal: true,
        status: response.status,
        response: rejected,
      });
      finish('failed', failure.message);
      return;
    }

    state = 'open';
    notify(() =>
      options.onConnect?.({
        url: currentUrl.href,
        redirected: response.redirected,
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
        warnings: collectConnectWarnings(response.headers, { requestedUrl: url, finalUrl: currentUrl }),
        attempt,
        lastEventIdSent,
        method,
        time: new Date(),
      }),
    );
    if (isClosed()) return;

    try {
      const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
      // Bounded by the server: every iteration consumes bytes it sent; close() aborts.
      while (reader !== undefined) {
        const { done, value } = await reader.read();
        if (done || isClosed()) break;
        const time = new Date();
        notify(() => options.onBytes?.(value, time));
        decoder.feed(value);
        if (decoder.overflowed) {
          controller.abort();
          reader.cancel().catch(() => {});
          decoder.end();
          bufferOverflow(overflowMessage);
          return;
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      decoder.end();
      networkFailure(error, 'stream');
      return;
    }
    if (isClosed()) return;
    // The spec: at the end of the body, pending data is discarded and we reconnect.
    decoder.end();
    if ((transport?.resets() ?? 0) > resetsBefore) {
      // A body without length or chunking "ended" by a reset: a browser's reader gets a
      // network error (net::ERR_CONNECTION_RESET), as for a sized or chunked body.
      networkFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'stream');
      return;
    }
    if (!reconnect) {
      finish('ended', 'the server ended the stream; not reconnecting because reconnecting is off');
      return;
    }
    scheduleReconnect('the server ended the response');
  }

  function refusedRequest(lastEventIdSent: string | undefined, error: unknown): void {
    const lastEventIdRefused =
      lastEventIdSent !== undefined &&
      headerControlCharacter.test(Buffer.from(lastEventIdSent, 'utf8').toString('latin1'));
    const message = !lastEventIdRefused
      ? `the HTTP client refused to send the request: ${describeNetworkError(error, 'connect', currentUrl).message.slice(`could not connect to ${currentUrl.host}: `.length)} (a header value with a control character is not valid HTTP)`
      : `could not resume: Last-Event-ID ${JSON.stringify(lastEventIdSent)} holds a control character, which Node's HTTP clients refuse to put in a header. Chromium sends those bytes as they are and goes on reconnecting; this client stops rather than retry a request it cannot send (the server should send ids of printable characters)`;
    reportError({ kind: 'request-refused', message, fatal: true });
    finish('failed', message);
  }

  function bufferOverflow(detail: string): void {
    const message = `${detail}: dropped the connection to keep memory bounded (raise it with maxBufferSize / --max-buffer)`;
    reportError({ kind: 'buffer-overflow', message, fatal: !reconnect });
    if (isClosed()) return;
    if (!reconnect) {
      finish('failed', message);
      return;
    }
    scheduleReconnect(message);
  }

  function networkFailure(error: unknown, phase: 'connect' | 'stream'): void {
    const { code, message } = describeNetworkError(error, phase, currentUrl);
    reportError({ kind: 'network', message, fatal: !reconnect, systemCode: code });
    if (isClosed()) return;
    if (!reconnect) {
      finish('failed', message);
      return;
    }
    scheduleReconnect(message);
  }

  function scheduleReconnect(reason: string): void {
    state = 'connecting';
    const delayMs = Math.max(retryMs, minReconnectDelayMs);
    notify(() =>
      options.onReconnecting?.({
        delayMs,
        retryMs,
        url: currentUrl.href,
        attempt: attempt + 1,
        lastEventId: decoder.lastEventId,
        reason,
        time: new Date(),
      }),
    );
    if (isClosed()) return;
    waitThenStart(delayMs);
  }

  /** setTimeout holds at most 2^31 − 1 ms; a longer reconnection time is waited in steps. */
  function waitThenStart(delayMs: number): void {
    const stepMs = Math.min(delayMs, MAX_TIMER_MS);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (delayMs > stepMs) waitThenStart(delayMs - stepMs);
      else start();
    }, stepMs);
  }

  function reportError(init: SseClientErrorInit): void {
    if (isClosed()) return;
    const error = new SseClientError(init);
    notify(() => options.onError?.(error));
  }

  function finish(reason: SseCloseReason, message: string): void {
    if (state === 'closed') return;
    state = 'closed';
    if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    abortController?.abort();
    transport?.close();
    const info: SseCloseInfo = { reason, message, time: new Date() };
    notify(() => options.onClose?.(info));
    resolveClosed(info);
  }

  function start(): void {
    connect().catch(rethrowLater);
  }

  start();

  return {
    close() {
      finish('closed', 'closed by the client');
    },
    get state() {
      return state;
    },
    get lastEventId() {
      return decoder.lastEventId;
    },
    get retryMs() {
      return retryMs;
    },
    closed,
  };
}

/**
A throwing callback must not look like a network failure to the read loop. Like an
event listener's exception, it is reported (as an uncaught exception) and the stream
goes on.
*/
function notify(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    rethrowLater(error);
  }
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
The method as fetch sends it (GET, POST … upper-cased as fetch normalizes them, others
as given). Throws an SseArgumentError, as fetch would throw a TypeError, for what fetch cannot send.
*/
function checkMethod(method: string, hasBody: boolean): string {
  if (!/^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/.test(method)) {
    throw new SseArgumentError(
      'method',
      `${JSON.stringify(method)} is not an HTTP method: a method is one word of letters, like GET or POST`,
    );
  }
  const upper = method.toUpperCase();
  if (forbiddenMethods.has(upper)) {
    throw new SseArgumentError(
      'method',
      `fetch cannot send a ${upper} request (browsers forbid it); use GET, POST, PUT, PATCH, DELETE …`,
    );
  }
  const normalized = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'].includes(upper) ? upper : method;
  if (hasBody && (normalized === 'GET' || normalized === 'HEAD')) {
    throw new SseArgumentError(
      'body',
      `a ${normalized} request cannot have a body (fetch refuses it): send the body with another method, e.g. POST`,
    );
  }
  return normalized;
}

/** What undici (and node:http) refuse in a header value: controls other than tab, and DEL. */
const headerControlCharacter = /[^\t\x20-\x7e\x80-\xff]/;

/** fetch rejects a request it will not send (an invalid header value) with this cause. */
function isRefusedRequest(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if ((current as Error & { code?: unknown }).code === 'UND_ERR_INVALID_ARG') return true;
    current = current.cause;
  }
  return false;
}
