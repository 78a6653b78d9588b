import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { collectConnectWarnings } from '../../index.js';
import { browserResponseHeaders } from './forward-headers.js';
import { writeUpstreamHead } from './pass-head.js';
import type { ProxiedStream, ProxiedStreamParts, UpstreamConnection } from './proxied-stream.js';
import type { ProxiedRequestInfo, ProxyContext } from './proxy-context.js';
import type { UpstreamHandover } from './upstream-handover.js';

/** How one request went upstream, for passing its answer back. */
export interface AnswerRoute {
  readonly upstreamReq: ClientRequest;
  readonly upstreamUrl: string;
  /** Set for requests that asked for a stream: their connection can be taken over. */
  readonly handover: UpstreamHandover | undefined;
  /** Called by forward-request.ts when node:http hands the connection over. */
  onHandover?: (upstreamRes: IncomingMessage, socket: Duplex) => void;
}

function isEventStream(res: IncomingMessage): boolean {
  return /^\s*text\/event-stream\b/i.test(res.headers['content-type'] ?? '');
}

function isChunked(res: IncomingMessage): boolean {
  return /(?:^|,)\s*chunked\s*$/i.test(res.headers['transfer-encoding'] ?? '');
}

/**
Raw bytes may go to the browser's socket after the head only when the answer is
chunked (node:http's own, undocumented flag) and its head has gone to the socket:
an answer queued behind another on the connection (pipelining) has it waiting in
res, and raw writes would overtake it.
*/
function browserAnswerTakesRawChunks(res: ServerResponse): boolean {
  return (res as unknown as { chunkedEncoding?: unknown }).chunkedEncoding === true && res.writableLength === 0;
}

/** The head of a stream the proxy compresses: Content-Encoding: gzip, no length. */
function gzipHeaders(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!/^content-length$/i.test(raw[i] ?? '')) kept.push(raw[i] ?? '', raw[i + 1] ?? '');
  }
  return [...kept, 'Content-Encoding', 'gzip'];
}

function headersObject(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i] ?? '', raw[i + 1] ?? '');
    } catch {
      // A header fetch's Headers refuses is not one the warnings look at.
    }
  }
  return headers;
}

/**
Passes the upstream's answer to the browser: its head (pass-head.ts), then either the
body piped as it is, or, for a `text/event-stream` 200, a proxied stream the console
watches. A stream whose upstream and browser answers are both chunked gets its
upstream connection handed over, to be relayed as it came.
*/
export function passResponse(
  context: ProxyContext,
  request: ProxiedRequestInfo,
  route: AnswerRoute,
  upstreamRes: IncomingMessage,
): void {
  const { req, res, method } = request;
  const status = upstreamRes.statusCode ?? 502;
  const headers = browserResponseHeaders(upstreamRes);
  if (request.setCookie !== undefined) headers.push('Set-Cookie', request.setCookie);
  const isStream = isEventStream(upstreamRes) && method !== 'HEAD' && status === 200;
  // `gzip`: the proxy compresses a stream the app sent uncompressed (see proxied-stream.ts).
  const compress = isStream && context.shaping().gzip && upstreamRes.headers['content-encoding'] === undefined;
  const changes = writeUpstreamHead(res, status, upstreamRes.statusMessage, compress ? gzipHeaders(headers) : headers);
  if (!isStream) {
    upstreamRes.pipe(res);
    const contentType = upstreamRes.headers['content-type'];
    const problem = changes.length === 0 ? undefined : changes.join('; ');
    res.on('finish', () => request.finish(status, problem, contentType));
    upstreamRes.on('error', () => res.destroy());
    return;
  }
  res.flushHeaders();
  const open = (connection: UpstreamConnection | undefined): ProxiedStream => {
    const parts: Omit<ProxiedStreamParts, 'id' | 'onEnd'> = {
      req,
      res,
      upstreamReq: route.upstreamReq,
      upstreamRes,
      upstreamConnection: connection,
      path: request.path,
      upstreamUrl: route.upstreamUrl,
      report: context.report,
      wantsBytes: context.wantsBytes,
      now: context.now,
      maxBufferSize: context.maxBufferSize,
      compress,
    };
    const stream = context.openStream(parts);
    context.report({
      type: 'stream-open',
      stream: stream.info(),
      status,
      warnings: collectConnectWarnings(headersObject(upstreamRes.rawHeaders)),
    });
    for (const message of changes) context.report({ type: 'stream-warning', stream: stream.info(), message });
    return stream;
  };
  const { handover } = route;
  if (
    handover === undefined ||
    compress ||
    !isChunked(upstreamRes) ||
    !browserAnswerTakesRawChunks(res) ||
    !handover.ask(upstreamRes)
  ) {
    open(undefined);
    return;
  }
  // node:http detaches the connection once this event returns and its read is parsed.
  let taken: UpstreamConnection | string | undefined;
  route.onHandover = (answer, socket) => {
    taken = handover.take(socket, answer);
    if (typeof taken === 'string') socket.destroy();
  };
  queueMicrotask(() => {
    if (taken === undefined) {
      // This node:http did not hand the connection over: its decoded body is used instead.
      handover.withdraw(upstreamRes);
      open(undefined);
    } else if (typeof taken === 'string') {
      const stream = open(undefined);
      context.report({ type: 'stream-warning', stream: stream.info(), message: taken });
      stream.close('upstream-error');
    } else {
      open(taken);
    }
  });
}
