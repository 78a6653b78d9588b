import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { DecodedEvent } from '../../index.js';
import { errorMessage } from '../console/error-message.js';
import { admitRequest } from './admit-request.js';
import { answerPlainOrClose } from './answer-plain.js';
import { forwardRequest } from './forward-request.js';
import { passUpgrade } from './pass-upgrade.js';
import { createProxiedStream, type ProxiedStream, type StreamFaults } from './proxied-stream.js';
import type { ProxyContext } from './proxy-context.js';
import { NO_SHAPING, type ProxyShaping } from './shaping.js';
import { createStreamSlots } from './stream-slots.js';
import type { ProxyAnswer, ProxyReport, ProxyStreamInfo } from './types.js';

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
  /** Sets the proxy-wide faults (buffer, idle-cut, limit): live streams and later ones. */
  setShaping(change: Partial<ProxyShaping>): void;
  readonly shaping: ProxyShaping;
  /** Stream requests `limit` holds now, with no answer, until a stream ends. */
  readonly waiting: number;
  /** Stream requests are answered by the proxy itself while set (`respond`). */
  setAnswer(answer: ProxyAnswer | undefined): void;
  readonly answer: ProxyAnswer | undefined;
  /** Ends every stream and frees the upstream connections. */
  stop(): void;
}

/**
A reverse proxy for one upstream origin that forwards everything unchanged and
watches every `text/event-stream` answer as a stream the console can inspect and break.
Nothing is buffered: bodies are piped, streams written chunk by chunk with Nagle off
(relayed as they came while no fault is active: proxied-stream.ts). The steps of one
request: admit-request.ts, forward-request.ts, pass-response.ts.
*/
export function createProxy(options: ProxyOptions): Proxy {
  const { upstream } = options;
  const report = options.report ?? (() => undefined);
  const secure = upstream.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const live = new Map<number, ProxiedStream>();
  let nextStreamId = 1;
  const upgraded = new Set<Duplex>();
  const track = (socket: Duplex): void => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  };
  let answer: ProxyAnswer | undefined;
  let defaultFaults: StreamFaults = { delayMs: 0, drop: 0, paused: false };
  let shaping: ProxyShaping = NO_SHAPING;
  const slots = createStreamSlots();

  function forward(req: IncomingMessage, res: ServerResponse): void {
    try {
      const request = admitRequest(context, req, res);
      if (request !== undefined) forwardRequest(context, request);
    } catch (error) {
      // Nothing a browser sends may crash the process.
      answerPlainOrClose(res, 500, `sse-console proxy: ${errorMessage(error)}`);
    }
  }

  function targets(target: StreamTarget): ProxiedStream[] {
    if (target === 'all') return [...live.values()];
    const one = live.get(target);
    return one ? [one] : [];
  }

  const context: ProxyContext = {
    upstream,
    secure,
    send: secure ? httpsRequest : httpRequest,
    agent,
    basePath: upstream.pathname.replace(/\/+$/, ''),
    listenHost: options.listenHost ?? '127.0.0.1',
    token: options.token,
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? PROXY_DEFAULTS.upstreamTimeoutMs,
    maxBufferSize: options.maxBufferSize ?? PROXY_DEFAULTS.maxBufferSize,
    report,
    wantsBytes: options.wantsBytes ?? (() => false),
    now: options.now ?? Date.now,
    shaping: () => shaping,
    takeAnswer() {
      const given = answer;
      if (given?.once === true) answer = undefined;
      return given;
    },
    openStream(parts) {
      const id = nextStreamId++;
      const stream = createProxiedStream({
        ...parts,
        id,
        faults: { ...defaultFaults, drop: 0 },
        shaping,
        onEnd: () => live.delete(id),
      });
      live.set(id, stream);
      return stream;
    },
  };

  return {
    handle(req, res) {
      slots.admit(req, res, () => forward(req, res));
    },
    upgrade(req, socket, head) {
      passUpgrade({
        req,
        socket,
        head,
        upstream,
        send: context.send,
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
    setShaping(change) {
      shaping = { ...shaping, ...change };
      for (const stream of live.values()) stream.setShaping(shaping);
      slots.setLimit(shaping.limit);
    },
    get shaping() {
      return shaping;
    },
    get waiting() {
      return slots.waiting;
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
