import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { createEventStreamDecoder, describeNetworkError, extractMimeType } from '../../index.js';
import { serverTimestamp } from '../server-timestamp.js';
import {
  DATA_KEPT,
  keepNewest,
  type ObservedEvent,
  type ObservedResponse,
  type StreamObservation,
  type WatchEnd,
} from './observation.js';

/** One request `doctor` watches. */
export interface WatchRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  readonly lastEventId: string | undefined;
  /** Accept any TLS certificate (`--insecure`). */
  readonly insecure: boolean;
  /** The longest the watch lasts, from the request. */
  readonly durationMs: number;
  /** Ends the watch early (Ctrl+C); what was seen is kept. */
  readonly signal?: AbortSignal;
  /** Ends the watch once an event makes this true (the resume check stops once the replay is complete). */
  readonly stopWhen?: (event: ObservedEvent) => boolean;
}

/** Most characters held for one unfinished line and event before the watch gives up on the body. */
const MAX_BUFFER = 4 * 1024 * 1024;
/** How much of a body that is not an event stream is kept for the report. */
const BODY_START_BYTES = 2048;

/**
Makes the request with node:http (not fetch), because the doctor needs what fetch
hides: the HTTP version, the body as it comes off the socket before decompression,
and when each chunk arrived. Events are decoded as a browser decodes them.
*/
export async function watchStream(request: WatchRequest): Promise<StreamObservation> {
  const alpn = request.url.startsWith('https:') ? await offeredProtocol(request) : undefined;
  return new Promise((resolve) => {
    const started = performance.now();
    const since = (): number => performance.now() - started;
    let chunkCount = 0;
    let lastByteAtMs = 0;
    let longestSilenceMs = 0;
    const events: ObservedEvent[] = [];
    let eventCount = 0;
    const commentsAtMs: number[] = [];
    let commentCount = 0;
    let retryMs: number | undefined;
    let response: ObservedResponse | undefined;
    let bodyStart = '';
    let arrivedAtMs = 0;
    let done = false;
    let inflating: Transform | undefined;
    const headers: Record<string, string> = {
      Accept: 'text/event-stream',
      'Cache-Control': 'no-cache',
      ...request.headers,
    };
    if (request.lastEventId !== undefined) headers['Last-Event-ID'] = request.lastEventId;

    const decoder = createEventStreamDecoder({
      onEvent: (decoded) => {
        if (done) return;
        const event: ObservedEvent = {
          atMs: arrivedAtMs,
          wallMs: Date.now(),
          type: decoded.event,
          data: decoded.data.slice(0, DATA_KEPT),
          sentMs: serverTimestamp(decoded.data),
          id: decoded.id,
        };
        eventCount += 1;
        keepNewest(events, event);
        if (request.stopWhen?.(event) === true) finish('watch-over');
      },
      onComment: () => {
        if (done) return;
        commentCount += 1;
        keepNewest(commentsAtMs, arrivedAtMs);
      },
      onRetry: (ms) => (retryMs = ms),
      maxBufferSize: MAX_BUFFER,
      onOverflow: (message) => finish('network-error', message),
    });

    const finish = (end: WatchEnd, message?: string, failure?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      outgoing.destroy();
      inflating?.destroy(); // a compressed body (a bomb, say) is not inflated past the watch
      resolve({
        url: request.url,
        method: request.method,
        lastEventId: request.lastEventId,
        failure,
        response,
        chunkCount,
        lastByteAtMs: response === undefined ? 0 : Math.max(lastByteAtMs, response.atMs),
        longestSilenceMs,
        events,
        eventCount,
        commentsAtMs,
        commentCount,
        retryMs,
        bodyStart,
        endedAtMs: since(),
        end,
        endMessage: message,
        alpn,
      });
    };
    const onAbort = (): void => finish('interrupted');
    const timer = setTimeout(() => {
      if (response === undefined) {
        finish(
          'watch-over',
          undefined,
          `no response head within ${Math.round(request.durationMs / 1000)} s (a proxy that buffers may hold the head too)`,
        );
      } else {
        finish('watch-over');
      }
    }, request.durationMs);

    const client = request.url.startsWith('https:') ? https : http;
    const outgoing = client.request(request.url, {
      method: request.method,
      headers,
      rejectUnauthorized: !request.insecure,
    });
    outgoing.on('error', (error) => {
      const phase = response === undefined ? 'connect' : 'stream';
      const words = describeNetworkError(error, phase, new URL(request.url)).message;
      if (response === undefined) finish('network-error', words, words);
      else finish('network-error', words);
    });
    outgoing.on('response', (incoming) => {
      response = {
        atMs: since(),
        status: incoming.statusCode ?? 0,
        statusText: incoming.statusMessage ?? '',
        httpVersion: incoming.httpVersion,
        headers: joinedHeaders(incoming.headers),
      };
      const isStream = extractMimeType(response.headers['content-type'] ?? null)?.essence === 'text/event-stream';
      if (response.status !== 200 || !isStream) {
        incoming.on('data', (chunk: Buffer) => {
          if (bodyStart.length < BODY_START_BYTES) {
            bodyStart += chunk.toString('utf8').slice(0, BODY_START_BYTES - bodyStart.length);
          }
        });
        incoming.on('end', () => finish('server-ended'));
        setTimeout(() => finish('server-ended'), 2000).unref();
        return;
      }
      const inflate = decompressorFor(response.headers['content-encoding']);
      inflating = inflate;
      const decodedBytes = (bytes: Buffer): void => {
        if (!done) decoder.feed(bytes);
      };
      if (inflate !== undefined) {
        inflate.on('data', decodedBytes);
        inflate.on('error', (error) =>
          finish('network-error', `the compressed body could not be decoded: ${error.message}`),
        );
      }
      incoming.on('data', (chunk: Buffer) => {
        arrivedAtMs = since();
        longestSilenceMs = Math.max(
          longestSilenceMs,
          arrivedAtMs - (chunkCount === 0 ? (response?.atMs ?? 0) : lastByteAtMs),
        );
        chunkCount += 1;
        lastByteAtMs = arrivedAtMs;
        if (inflate === undefined) decodedBytes(chunk);
        else if (!inflate.write(chunk)) {
          // The socket waits while the decompressor is behind: its queue stays bounded.
          incoming.pause();
          inflate.once('drain', () => incoming.resume());
        }
      });
      incoming.on('end', () => {
        if (inflate === undefined) finish('server-ended');
        else inflate.end(() => finish('server-ended'));
      });
      incoming.on('aborted', () => finish('network-error', 'the connection was reset mid-body'));
      incoming.on('error', (error) =>
        finish('network-error', describeNetworkError(error, 'stream', new URL(request.url)).message),
      );
    });
    request.signal?.addEventListener('abort', onAbort);
    if (request.signal?.aborted === true) onAbort();
    outgoing.end(request.body);
  });
}

/** Header names lower-cased, repeated ones joined (set-cookie too: only its presence matters here). */
function joinedHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) joined[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return joined;
}

/** A streaming decompressor for the body's Content-Encoding, flushing what it has as it goes. */
function decompressorFor(encoding: string | undefined): Transform | undefined {
  const options = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(options);
    case 'deflate':
      return zlib.createInflate(options);
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/** The protocol a TLS server picks when offered h2 and http/1.1 (ALPN): whether browsers would get HTTP/2. */
function offeredProtocol(request: WatchRequest): Promise<string | undefined> {
  const url = new URL(request.url);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port === '' ? 443 : url.port),
      servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
      ALPNProtocols: ['h2', 'http/1.1'],
      rejectUnauthorized: !request.insecure,
    });
    const done = (protocol: string | undefined): void => {
      socket.destroy();
      resolve(protocol);
    };
    socket.setTimeout(5000, () => done(undefined));
    socket.once('secureConnect', () => done(typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : undefined));
    socket.once('error', () => done(undefined));
  });
}
