import type { ClientRequest, IncomingMessage, RequestOptions, ServerResponse } from 'node:http';
import type { Agent as HttpAgent } from 'node:http';
import type { ProxiedStream, ProxiedStreamParts } from './proxied-stream.js';
import type { ProxyShaping } from './shaping.js';
import type { ProxyAnswer, ProxyReport } from './types.js';

/** What every part of one proxy's request handling shares (built once by createProxy). */
export interface ProxyContext {
  readonly upstream: URL;
  readonly secure: boolean;
  readonly send: (options: RequestOptions) => ClientRequest;
  readonly agent: HttpAgent;
  /** The upstream's base path, without its trailing slashes. */
  readonly basePath: string;
  readonly listenHost: string;
  readonly token: string | undefined;
  readonly upstreamTimeoutMs: number;
  readonly maxBufferSize: number;
  readonly report: (report: ProxyReport) => void;
  readonly wantsBytes: () => boolean;
  readonly now: () => number;
  /** What `respond` set; reading it with `once` set uses it up. */
  takeAnswer(): ProxyAnswer | undefined;
  /** The proxy-wide faults now (`gzip` is read when a stream opens). */
  shaping(): ProxyShaping;
  /** Starts watching a stream that passed its head (numbered, given today's default faults). */
  openStream(parts: Omit<ProxiedStreamParts, 'id' | 'onEnd'>): ProxiedStream;
}

/** One browser request, as every step of its handling describes it. */
export interface ProxiedRequestInfo {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly started: number;
  readonly remoteAddress: string;
  /** Path and query as asked (the proxy's token removed), made printable. */
  readonly path: string;
  /** Path and query to forward. */
  readonly forwardedTarget: string;
  /** The token cookie to set with the answer, when the token came as a query parameter. */
  readonly setCookie: string | undefined;
  /** Reports the request as answered with `status` (and why, when the proxy answered itself). */
  finish(status: number, problem: string | undefined, contentType?: string): void;
}
