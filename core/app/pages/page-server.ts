import {
  closeEveryConnection,
  closeSessions,
  createHardenedSecureServer,
  createHardenedServer,
  displayPath,
  listen,
  parseTarget,
  type RequestTarget,
  type ServerTimeouts,
  type Sse,
  type SseOptions,
  type TlsCredentials,
  urlHost,
} from '../../index.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import { findDemoPagesDir } from './demo-pages-dir.js';
import { PAGES } from './page-list.js';
import type { PageInfo } from './page-list.js';
import { createPageRoutes } from './page-routes.js';
import type { Route } from './page-routes.js';
import { notFound, text } from './reply.js';
import type { Reply } from './reply.js';
import { contentSecurityPolicy, securityHeaders } from './security-headers.js';
import { createToggles } from './toggles.js';
import { errorMessage } from '../console/error-message.js';

/** One answered request, for the console log. */
export interface PageRequestEntry {
  readonly method: string;
  /** Path and query, with any `token` value shown as `***`. */
  readonly path: string;
  readonly status: number;
  readonly remoteAddress: string;
  /** Why the request was refused, when it was. */
  readonly reason?: string;
}

export interface PageServerOptions extends ServerTimeouts {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The stream the toggles demo broadcasts on. */
  readonly sse: Pick<Sse, 'sendNewEvent'>;
  /** Where pages open their EventSource (told to them by /config.json). */
  readonly sseUrl: string;
  /** Origins besides the pages' own that may POST (the --cors list; read on every request). */
  readonly corsOrigins?: SseOptions['corsOrigins'];
  /** If set, POSTs need it, and /config.json hands it to local clients only. */
  readonly token?: string;
  /** How the console was started (`npm start --` …): /config.json tells pages, for their copyable commands. */
  readonly launchCommand?: string;
  /** Move to the next free port when `port` is busy (see core/http/listen). */
  readonly portFallback?: boolean;
  readonly exclusive?: boolean;
  /** Called after every response; an exception here never breaks the server. */
  readonly onRequest?: (entry: PageRequestEntry) => void;
  /** Serve HTTP/2 over TLS (HTTP/1.1 fallback) with this key and certificate (`--http2`). */
  readonly http2?: TlsCredentials;
}

/** Longest `stop()` waits for HTTP/2 sessions to close gracefully. */
const SESSION_CLOSE_LIMIT_MS = 500;

export interface PageServer {
  readonly port: number;
  /** The port asked for; differs from `port` after a busy-port fallback. */
  readonly requestedPort: number;
  readonly host: string;
  /** `http://host:port/` (`https://` with `http2`) */
  readonly url: string;
  readonly server: Server | Http2SecureServer;
  readonly pages: readonly PageInfo[];
  /** Close the listener and every open connection. Safe to call twice. */
  stop(): Promise<void>;
}

type FindRoute = (pathname: string) => Route | undefined;

/**
The page listener: the demo index and pages, their assets, /config.json and the
toggles API. It never serves the event stream itself; pages connect to `sseUrl`.
*/
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const host = options.host ?? '127.0.0.1';
  const findRoute = createPageRoutes({
    sse: options.sse,
    sseUrl: options.sseUrl,
    token: options.token,
    launchCommand: options.launchCommand,
    host,
    demoDir: findDemoPagesDir(),
    toggles: createToggles(),
    corsOrigins: options.corsOrigins,
  });
  const headers = securityHeaders(contentSecurityPolicy(options.sseUrl));

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    answer(req, res, findRoute, headers, options.onRequest).catch(() => res.destroy());
  };
  const server =
    options.http2 === undefined
      ? createHardenedServer(handler, options)
      : createHardenedSecureServer(handler, options.http2, options);
  const bound = await listen(server, {
    port: options.port,
    host,
    exclusive: options.exclusive,
    portFallback: options.portFallback,
  });

  let stopping: Promise<void> | undefined;
  return {
    port: bound.port,
    requestedPort: bound.requestedPort,
    host,
    url: `${options.http2 === undefined ? 'http' : 'https'}://${urlHost(host)}:${bound.port}/`,
    server,
    pages: PAGES,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // HTTP/2: a page in flight finishes and its session ends with GOAWAY (bounded).
        void closeSessions(server, SESSION_CLOSE_LIMIT_MS).then(() => closeEveryConnection(server));
      });
      return stopping;
    },
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  findRoute: FindRoute,
  baseHeaders: Readonly<Record<string, string>>,
  onRequest: PageServerOptions['onRequest'],
): Promise<void> {
  const method = req.method ?? 'GET';
  const target = parseTarget(req.url);
  let reply: Reply;
  try {
    reply = await dispatch(req, target, method, findRoute);
  } catch (error) {
    reply = text(500, `Internal error: ${errorMessage(error)}`);
  }

  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, { ...baseHeaders, ...reply.headers, 'Content-Length': String(body.length) });
  res.end(method === 'HEAD' ? undefined : body);

  if (onRequest !== undefined) {
    try {
      onRequest({
        method,
        path: displayPath(target),
        status: reply.status,
        remoteAddress: req.socket.remoteAddress ?? '',
        ...(reply.reason === undefined ? {} : { reason: reply.reason }),
      });
    } catch {
      // A logging callback must not take the page server down.
    }
  }
}

/** The route's answer, or 404 for an unknown path, or 405 (with Allow) for a method it does not take. */
function dispatch(
  req: IncomingMessage,
  target: RequestTarget,
  method: string,
  findRoute: FindRoute,
): Reply | Promise<Reply> {
  const found = findRoute(target.pathname);
  if (found === undefined) {
    const pages = PAGES.map((page) => `/${page.name}`).join(' ');
    return notFound(`no page here. Pages: / ${pages}; files under /assets/.`);
  }
  if (!found.allow.includes(method)) {
    const allow = found.allow.join(', ');
    return text(405, `${method} is not allowed here; use ${found.allow.join(' or ')}.`, { Allow: allow });
  }
  return found.handle(req, target);
}
