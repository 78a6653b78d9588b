import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import {
  answerText,
  collectConnectWarnings,
  type DecodedEvent,
  describeNetworkError,
  hostProblem,
  parseTarget,
} from '../../index.js';
import { showLine as printable } from '../../terminal/terminal-text.js';
import { browserResponseHeaders, upstreamRequestHeaders } from './forward-headers.js';
import { checkProxyAccess, tokenCookie, withoutTokenParam } from './proxy-access.js';
import { createProxiedStream, type ProxiedStream, type StreamFaults } from './proxied-stream.js';
import { passUpgrade } from './pass-upgrade.js';
import { writeUpstreamHead } from './pass-head.js';
import type { ProxyAnswer, ProxyReport, ProxyStreamInfo } from './types.js';
import { errorMessage } from '../console/error-message.js';

export interface ProxyOptions {
  /** The app's origin (an optional base path is prefixed to every request path). */
  readonly upstream: URL;
  /**
  The interface the proxy listens on: requests whose Host is not a local name (or
  that interface) are refused 403, as the console's listeners refuse them, so a page
  re-pointing its own DNS name at 127.0.0.1 cannot read the app through the proxy.
  Default 127.0.0.1.
  */
  readonly listenHost?: string | undefined;
  /** The proxy's own access token (see proxy-access.ts). */
  readonly token?: string | undefined;
  /**
  Most characters the proxy's decoder holds for one unfinished line or event of a
  stream (the bytes still reach the browser; the console shows a cut). Default
  4 MiB, as `connect`'s.
  */
  readonly maxBufferSize?: number | undefined;
  /** How long the upstream may take to start answering before the browser gets 504. Default 30 s. */
  readonly upstreamTimeoutMs?: number | undefined;
  readonly report?: (report: ProxyReport) => void;
  /** Report the exact bytes of streams (`stream-bytes`) only while this says so; default never. */
  readonly wantsBytes?: () => boolean;
  readonly now?: () => number;
}

/**
`maxBufferSize`: 4 MiB of characters for one line plus one event, the client's own
default, so the proxy decodes what `connect` would.
*/
const PROXY_DEFAULTS = { upstreamTimeoutMs: 30_000, maxBufferSize: 4 * 1024 * 1024 } as const;

type StreamTarget = number | 'all';

export interface Proxy {
  /** The request handler, for any node:http server. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The `upgrade` handler: WebSocket (and other upgrades) pass through to the upstream. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  streams(): ProxyStreamInfo[];
  /** Ends streams from the browser side (they reconnect); returns how many. */
  close(target: StreamTarget): number;
  /** Writes an event into streams between upstream events; returns how many got it. */
  inject(target: StreamTarget, bytes: Buffer, event: DecodedEvent): number;
  /** Applies a fault to streams; 'all' also sets it for streams opened later. Returns how many live streams. */
  setFault(target: StreamTarget, change: (faults: StreamFaults) => Partial<StreamFaults>): number;
  /** Faults new streams start with. */
  readonly defaultFaults: StreamFaults;
  /** Stream requests are answered by the proxy itself while set (`respond`). */
  setAnswer(answer: ProxyAnswer | undefined): void;
  readonly answer: ProxyAnswer | undefined;
  /** Ends every stream and frees the upstream connections. */
  stop(): void;
}

/** EventSource always asks with this Accept header, so it names stream requests before any answer. */
function asksForStream(req: IncomingMessage): boolean {
  return /\btext\/event-stream\b/i.test(req.headers.accept ?? '');
}

function isEventStream(res: IncomingMessage): boolean {
  return /^\s*text\/event-stream\b/i.test(res.headers['content-type'] ?? '');
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

function answerPlain(
  res: ServerResponse,
  status: number,
  body: string,
  extra: readonly (readonly [string, string])[] = [],
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string[]> = {};
  for (const [name, value] of extra) (headers[name] ??= []).push(value);
  answerText(res, status, body, headers);
}

/** answerPlain that cannot throw: what it cannot write, it ends by closing the connection. */
function answerPlainOrClose(
  res: ServerResponse,
  status: number,
  body: string,
  extra: readonly (readonly [string, string])[] = [],
): void {
  try {
    answerPlain(res, status, body, extra);
  } catch {
    res.destroy();
  }
}

/**
A reverse proxy for one upstream origin that forwards everything unchanged and
watches every `text/event-stream` answer as a stream the console can inspect and break.
Nothing is buffered: bodies are piped, streams written chunk by chunk with Nagle off.
*/
export function createProxy(options: ProxyOptions): Proxy {
  const { upstream } = options;
  const report = options.report ?? (() => undefined);
  const now = options.now ?? Date.now;
  const timeoutMs = options.upstreamTimeoutMs ?? PROXY_DEFAULTS.upstreamTimeoutMs;
  const maxBufferSize = options.maxBufferSize ?? PROXY_DEFAULTS.maxBufferSize;
  const secure = upstream.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const send = secure ? httpsRequest : httpRequest;
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const live = new Map<number, ProxiedStream>();
  let nextStreamId = 1;
  const upgraded = new Set<Duplex>();
  const track = (socket: Duplex): void => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  };
  let answer: ProxyAnswer | undefined;
  let defaultFaults: StreamFaults = { delayMs: 0, drop: 0, paused: false };

  function targets(target: StreamTarget): ProxiedStream[] {
    if (target === 'all') return [...live.values()];
    const one = live.get(target);
    return one ? [one] : [];
  }

  function answerLocally(req: IncomingMessage, res: ServerResponse, path: string, given: ProxyAnswer): void {
    if (given.once) answer = undefined;
    const why = `\`respond ${given.status}${given.once ? ' --once' : ''}\``;
    try {
      answerPlain(
        res,
        given.status,
        `sse-console proxy answered ${given.status} because of ${why}; \`respond reset\` forwards again.`,
        given.headers,
      );
    } catch (error) {
      answerPlainOrClose(res, 500, `sse-console proxy: the respond headers were refused: ${errorMessage(error)}`);
    }
    report({ type: 'answered', method: req.method ?? 'GET', path, status: given.status, why });
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = now();
    const method = req.method ?? 'GET';
    const remoteAddress = req.socket.remoteAddress ?? '';
    const target = parseTarget(req.url);
    if (!target.pathname.startsWith('/')) {
      answerPlainOrClose(
        res,
        400,
        `sse-console proxy: the request target must be a path starting with "/", got ${JSON.stringify(printable(target.raw, 100))}`,
      );
      return;
    }
    const badHost = hostProblem(req, options.listenHost ?? '127.0.0.1');
    if (badHost !== undefined) {
      answerPlainOrClose(res, 403, `sse-console proxy: ${badHost}`);
      report({
        type: 'request',
        request: {
          method,
          path: printable(target.raw, 200),
          status: 403,
          durationMs: now() - started,
          contentType: undefined,
          remoteAddress,
          problem: badHost,
        },
      });
      return;
    }
    const access = checkProxyAccess(req, target.query, options.token);
    const forwardedTarget = withoutTokenParam(target.pathname, target.raw.slice(target.pathname.length + 1));
    const path = printable(forwardedTarget, 200);
    const finishPlain = (status: number, problem: string | undefined): void =>
      report({
        type: 'request',
        request: {
          method,
          path,
          status,
          durationMs: now() - started,
          contentType: undefined,
          remoteAddress,
          ...(problem === undefined ? {} : { problem }),
        },
      });
    if (!access.ok) {
      answerPlainOrClose(res, 401, `sse-console proxy: ${access.problem}`);
      finishPlain(401, access.problem);
      return;
    }
    const setCookie =
      access.setCookie && options.token !== undefined ? tokenCookie(options.token, req.socket.localPort) : undefined;
    const streamAsked = asksForStream(req);
    if (streamAsked && answer !== undefined) {
      answerLocally(req, res, path, answer);
      return;
    }

    const upstreamPath = `${basePath}${forwardedTarget}`;
    const upstreamUrl = new URL(upstreamPath, upstream).href;
    res.socket?.setNoDelay(true);
    let upstreamReq: ClientRequest;
    try {
      upstreamReq = send({
        protocol: upstream.protocol,
        hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
        port: upstream.port === '' ? (secure ? 443 : 80) : Number(upstream.port),
        method,
        path: upstreamPath,
        headers: upstreamRequestHeaders(req, upstream, options.token !== undefined),
        agent,
      });
    } catch (error) {
      const problem = `the request could not be forwarded: ${errorMessage(error)}`;
      answerPlainOrClose(res, 502, `sse-console proxy: ${problem}`);
      finishPlain(502, problem);
      return;
    }
    upstreamReq.on('socket', (socket) => socket.setNoDelay(true));
    let answered = false;
    const timer = setTimeout(() => {
      if (answered) return;
      answered = true;
      const problem = `${upstream.host} did not answer ${method} ${path} within ${timeoutMs / 1000}s`;
      upstreamReq.destroy();
      answerPlainOrClose(res, 504, `sse-console proxy: ${problem}`);
      finishPlain(504, problem);
    }, timeoutMs);
    timer.unref();

    upstreamReq.on('error', (error) => {
      clearTimeout(timer);
      if (answered) return;
      answered = true;
      const problem = describeNetworkError(error, 'connect', upstream).message;
      answerPlainOrClose(res, 502, `sse-console proxy: ${problem}`);
      finishPlain(502, problem);
    });

    upstreamReq.on('response', (upstreamRes) => {
      clearTimeout(timer);
      if (answered) {
        upstreamRes.destroy();
        return;
      }
      answered = true;
      try {
        passResponse(upstreamRes);
      } catch (error) {
        // Whatever the upstream answered, it may not crash the process: the browser gets a 502.
        upstreamRes.destroy();
        const problem = `the upstream's answer could not be passed on: ${errorMessage(error)}`;
        answerPlainOrClose(res, 502, `sse-console proxy: ${problem}`);
        finishPlain(502, problem);
      }
    });

    // A 101 to a request that asked for no upgrade: node:http hands it to 'upgrade'
    // listeners only, and without one the browser would wait for the upstream timeout.
    upstreamReq.on('upgrade', (upstreamRes, upstreamSocket) => {
      clearTimeout(timer);
      upstreamSocket.destroy();
      if (answered) return;
      answered = true;
      const problem = `${upstream.host} answered ${upstreamRes.statusCode ?? 101} ${printable(upstreamRes.statusMessage ?? '', 80)} (switching protocols) to ${method} ${path}, which asked for no upgrade: HTTP forbids that answer, so the browser got 502`;
      answerPlainOrClose(res, 502, `sse-console proxy: ${problem}`);
      finishPlain(502, problem);
    });

    function passResponse(upstreamRes: IncomingMessage): void {
      const status = upstreamRes.statusCode ?? 502;
      const headers = browserResponseHeaders(upstreamRes);
      if (setCookie !== undefined) headers.push('Set-Cookie', setCookie);
      const changes = writeUpstreamHead(res, status, upstreamRes.statusMessage, headers);
      if (isEventStream(upstreamRes) && method !== 'HEAD' && status === 200) {
        res.flushHeaders();
        const id = nextStreamId++;
        const stream = createProxiedStream({
          id,
          req,
          res,
          upstreamReq,
          upstreamRes,
          path,
          upstreamUrl,
          report,
          wantsBytes: options.wantsBytes ?? (() => false),
          now,
          maxBufferSize,
          onEnd: () => live.delete(id),
        });
        live.set(id, stream);
        stream.setDelay(defaultFaults.delayMs);
        stream.setPaused(defaultFaults.paused);
        report({
          type: 'stream-open',
          stream: stream.info(),
          status,
          warnings: collectConnectWarnings(headersObject(upstreamRes.rawHeaders)),
        });
        for (const message of changes) report({ type: 'stream-warning', stream: stream.info(), message });
        return;
      }
      upstreamRes.pipe(res);
      const contentType = upstreamRes.headers['content-type'];
      const problem = changes.length === 0 ? undefined : changes.join('; ');
      res.on('finish', () =>
        report({
          type: 'request',
          request: {
            method,
            path,
            status,
            durationMs: now() - started,
            contentType,
            remoteAddress,
            ...(problem === undefined ? {} : { problem }),
          },
        }),
      );
      upstreamRes.on('error', () => res.destroy());
    }

    // The browser gone before the answer ended: the upstream request goes too.
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) upstreamReq.destroy();
    });
    req.pipe(upstreamReq);
  }

  return {
    handle(req, res) {
      try {
        handle(req, res);
      } catch (error) {
        // Nothing a browser sends may crash the process.
        answerPlainOrClose(res, 500, `sse-console proxy: ${errorMessage(error)}`);
      }
    },
    upgrade(req, socket, head) {
      passUpgrade({
        req,
        socket,
        head,
        upstream,
        send,
        token: options.token,
        listenHost: options.listenHost ?? '127.0.0.1',
        report,
        track,
      });
    },
    streams: () => [...live.values()].map((stream) => stream.info()),
    close(target) {
      const chosen = targets(target);
      for (const stream of chosen) stream.close('closed-by-console');
      return chosen.length;
    },
    inject(target, bytes, event) {
      const chosen = targets(target);
      for (const stream of chosen) stream.inject(bytes, event);
      return chosen.length;
    },
    setFault(target, change) {
      if (target === 'all') defaultFaults = { ...defaultFaults, ...change(defaultFaults), drop: 0 };
      const chosen = targets(target);
      for (const stream of chosen) {
        const next = { ...stream.faults, ...change(stream.faults) };
        if (next.delayMs !== stream.faults.delayMs) stream.setDelay(next.delayMs);
        if (next.drop !== stream.faults.drop) stream.addDrop(next.drop);
        if (next.paused !== stream.faults.paused) stream.setPaused(next.paused);
      }
      return chosen.length;
    },
    get defaultFaults() {
      return defaultFaults;
    },
    setAnswer(next) {
      answer = next;
    },
    get answer() {
      return answer;
    },
    stop() {
      for (const stream of live.values()) stream.close('stopped');
      for (const socket of upgraded) socket.destroy();
      agent.destroy();
    },
  };
}
