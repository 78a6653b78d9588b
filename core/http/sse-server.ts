import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Socket } from 'node:net';
import { channelNameProblem } from '../stream/channel-name.js';
import type { Sse } from '../stream/types.js';
import { answerText } from './answer-text.js';
import { createHardenedServer, type ServerTimeouts } from './hardened-server.js';
import { listen, type Listening } from './listen.js';
import { printable } from './printable.js';
import {
  closeEveryConnection,
  closeSessions,
  createHardenedSecureServer,
  type TlsCredentials,
} from './secure-server.js';
import { hostProblem } from './request-host.js';
import { parseTarget } from './request-target.js';
import { urlHost } from './url-host.js';

/** Paths the SSE listener serves the stream on. */
const SSE_PATHS: readonly string[] = ['/', '/events'];

/** What `startSseServer` takes besides the port and the stream. */
export interface SseServerOptions extends ServerTimeouts {
  /** Interface to bind; default 127.0.0.1 (this machine only). */
  readonly host?: string | undefined;
  /** The listen backlog (node:net `listen`). */
  readonly backlog?: number | undefined;
  /** Do not share the port with cluster workers (node:net `listen`). */
  readonly exclusive?: boolean | undefined;
  /** If the port is busy, use the next free one (see `listen`). Default false. */
  readonly portFallback?: boolean | undefined;
  /**
  Host names served besides this machine's (localhost, IP addresses, `host`); other
  Host headers are answered 403 (DNS rebinding). '*' serves any name. Default none.
  */
  readonly allowedHosts?: readonly string[] | '*' | undefined;
  /**
  Channels: the stream for `/events/NAME`, or undefined for none (404). Each channel
  is a `createSse()` stream of its own, with its own connections, replay log and ids
  (not a broadcast group of one stream's connections, as better-sse's channels are:
  for that, `sendNewEvent(input, { filter })`);
  `sse` stays the stream of `/` and `/events`. Called once per request, so it may
  create channels on first use (see `channelsFrom` for a fixed set). A string instead
  of a stream is why that channel is not served (a limit reached, say), sent in the
  404 answer in place of "There is no channel".
  */
  readonly channels?: ((name: string) => Sse<object> | string | undefined) | undefined;
  /**
  Serve HTTP/2 over TLS with this key and certificate (PEM), falling back to
  HTTP/1.1 over TLS for clients that do not speak h2 (curl --http1.1, old clients).
  Browsers allow 6 HTTP/1.1 connections per host; over HTTP/2 all streams share one
  connection, so a page can open many. The stream engine is the same on both.
  */
  readonly http2?: TlsCredentials | undefined;
}

/** `channels` for a fixed set of streams: `channelsFrom({ news, weather })`. */
export function channelsFrom(
  streams: Readonly<Record<string, Sse<object>>>,
): (name: string) => Sse<object> | undefined {
  const byName = new Map(Object.entries(streams));
  return (name) => byName.get(name);
}

const CHANNEL_PREFIX = '/events/';

/** Longest `stop()` waits for HTTP/2 sessions to close gracefully (a client that never reads holds its own). */
const SESSION_CLOSE_LIMIT_MS = 500;

/** A running listener (what `startSseServer` resolves to). */
export interface SseServer {
  /** The port bound. */
  readonly port: number;
  /** The interface bound. */
  readonly host: string;
  /** `http://HOST:PORT/` (`https://` with `http2`; an IPv6 host in brackets). */
  readonly url: string;
  /** The port asked for (0, or a busy port when `portFallback` moved on). */
  readonly requestedPort: number;
  /** node:http's server, or node:http2's with the `http2` option; for what this API does not cover. */
  readonly server: Server | Http2SecureServer;
  /** Ends this listener's streams, closes it and its sockets; resolves once the port is free. */
  stop(): Promise<void>;
}

/**
Whether `req` arrived through `server`. node:http sets `socket.server` on every
socket it accepts (the @types/node declaration leaves it out).
*/
function cameThrough(req: IncomingMessage, server: Server | Http2SecureServer): boolean {
  return (req.socket as Socket & { readonly server?: unknown }).server === server;
}

/** True when a Host header names `name` (any port). */
function isAllowedName(hostHeader: string | undefined, name: string): boolean {
  if (hostHeader === undefined) return false;
  try {
    return new URL(`http://${hostHeader}/`).hostname.toLowerCase() === name.toLowerCase();
  } catch {
    return false;
  }
}

/**
Starts an HTTP listener for a stream: serves `sse` on `/` and `/events` of its own HTTP
listener (any other path is 404). The stream itself outlives the listener: stopping
the listener ends only the streams that came through it (reason `stopped`). It uses
only the public `Sse` API (`handle`, `refuse`, `connections`), so any `Sse` works,
whatever its connection `state` type.

@param port - 0 picks a free port (see `SseServer.port`).
@throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) for a port that is not 0–65535.
@throws {@link ListenError} (`ERR_SSE_LISTEN`) when the port cannot be bound; `systemCode` says why (`EADDRINUSE` …).
@example
```ts
const sse = createSse();
const server = await startSseServer(8122, sse, { portFallback: true });
console.log(`streaming at ${server.url}events`);
sse.sendNewEvent({ data: 'Hello', id: true });
// later
await server.stop();
sse.stop();
```
*/
export async function startSseServer(
  port: number,
  sse: Sse<object>,
  options: SseServerOptions = {},
): Promise<SseServer> {
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = options.allowedHosts;
  /** Channel streams this listener handed requests to, so `stop` ends theirs too. */
  const served = new Set<Sse<object>>();
  const handler: RequestListener = (req, res) => {
    const target = parseTarget(req.url);
    const { pathname } = target;
    const foreignHost =
      allowedHosts === '*' || (allowedHosts ?? []).some((name) => isAllowedName(req.headers.host, name))
        ? undefined
        : hostProblem(req, host);
    if (foreignHost !== undefined) {
      sse.refuse(req, res, { status: 403, body: `${foreignHost}.`, reason: foreignHost });
      return;
    }
    if (SSE_PATHS.includes(pathname)) {
      void sse.handle(req, res); // never rejects
      return;
    }
    if (options.channels !== undefined && pathname.startsWith(CHANNEL_PREFIX)) {
      const name = pathname.slice(CHANNEL_PREFIX.length);
      const problem = channelNameProblem(name);
      const channel = problem === undefined ? options.channels(name) : undefined;
      if (channel !== undefined && typeof channel !== 'string') {
        served.add(channel);
        void channel.handle(req, res);
        return;
      }
      const why = problem ?? (channel === undefined ? `There is no channel "${name}".` : printable(channel, 500));
      answerText(res, 404, `Not found: ${printable(pathname, 200)}. ${why}`);
      return;
    }
    const paths = SSE_PATHS.join(' and ') + (options.channels === undefined ? '' : ', channels at /events/NAME');
    answerText(res, 404, `Not found: ${printable(pathname, 200)}. The event stream is served at ${paths}.`);
  };
  const server =
    options.http2 === undefined
      ? createHardenedServer(handler, options)
      : createHardenedSecureServer(handler, options.http2, options);

  let bound: Listening;
  try {
    bound = await listen(server, { ...options, port, host });
  } catch (error) {
    server.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const stream of [sse, ...served]) {
      for (const connection of stream.connections) {
        if (cameThrough(connection.request, server)) connection.close('stopped');
      }
    }
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    // res.end() hands its last chunk to the socket on the next tick (Node corks the
    // write), so wait one turn before destroying what is left.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // HTTP/2: GOAWAY, and the streams' last frames leave before the sockets are cut.
    await closeSessions(server, SESSION_CLOSE_LIMIT_MS);
    // Node tracks every connection of an http.Server (for its request timeouts), so
    // the listener keeps no list of its own: a Set entry and a `close` listener per
    // socket would cost more heap than the rest of an idle stream.
    closeEveryConnection(server);
    await closed;
  }

  return {
    port: bound.port,
    host,
    url: `${options.http2 === undefined ? 'http' : 'https'}://${urlHost(host)}:${bound.port}/`,
    requestedPort: bound.requestedPort,
    server,
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
