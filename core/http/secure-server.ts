import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { Socket } from 'node:net';
import { answerClientErrors, SERVER_TIMEOUT_DEFAULTS, type ServerTimeouts } from './hardened-server.js';

/** A TLS key and certificate (PEM), for serving HTTP/2. */
export interface TlsCredentials {
  /** The private key, PEM. */
  readonly key: string | Buffer;
  /** The certificate (chain), PEM, for the names the clients connect to. */
  readonly cert: string | Buffer;
}

/** Largest request header block accepted, as node:http's default `maxHeaderSize` (16 KiB). */
const MAX_HEADER_LIST_BYTES = 16 * 1024;

/** Raw sockets of each HTTP/2 listener, so `closeEveryConnection` can cut them all. */
const socketsOf = new WeakMap<Http2SecureServer, Set<Socket>>();

/**
The HTTP/2 counterpart of `createHardenedServer`: TLS with ALPN h2, falling back to
HTTP/1.1 (`allowHTTP1`) so curl and old clients still work, with the same limits
where HTTP/2 has them:
- header block at most 16 KiB (`maxHeaderListSize`; larger is refused by the HTTP/2
  layer with a stream reset, and with 431 over the HTTP/1.1 fallback);
- TLS handshake within `headersTimeoutMs`; a session with no open stream for that
  long is closed (the HTTP/2 form of a client that never sends its request, and of
  an idle keep-alive connection);
- the HTTP/1.1 fallback keeps the request timeouts and the `clientError` answer.
The handler sees node:http's types: the compatibility API's request and response
offer every member the stream engine uses (`writableLength`, `writableNeedDrain`,
'drain', `flushHeaders`), and `Host` is filled in from `:authority`, so the Host
check, CORS and the pages read one header whatever the protocol.
*/
export function createHardenedSecureServer(
  handler: RequestListener,
  tls: TlsCredentials,
  timeouts: ServerTimeouts = {},
): Http2SecureServer {
  const headersTimeoutMs = timeouts.headersTimeoutMs ?? SERVER_TIMEOUT_DEFAULTS.headersTimeoutMs;
  const server = createSecureServer(
    {
      key: tls.key,
      cert: tls.cert,
      allowHTTP1: true,
      handshakeTimeout: headersTimeoutMs,
      settings: { maxHeaderListSize: MAX_HEADER_LIST_BYTES },
    },
    (req: Http2ServerRequest, res: Http2ServerResponse) => {
      if (req.httpVersionMajor === 2 && req.headers.host === undefined) {
        const authority = req.headers[':authority'];
        if (typeof authority === 'string') req.headers.host = authority;
      }
      // The compatibility API mirrors node:http's request and response (see above).
      handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    },
  );
  // Node applies these to the HTTP/1.1 fallback's connections (allowHTTP1).
  // (Node reads the checking interval when the server starts listening.)
  const fallback = server as unknown as {
    headersTimeout: number;
    requestTimeout: number;
    connectionsCheckingInterval: number;
  };
  fallback.headersTimeout = headersTimeoutMs;
  fallback.requestTimeout = timeouts.requestTimeoutMs ?? SERVER_TIMEOUT_DEFAULTS.requestTimeoutMs;
  fallback.connectionsCheckingInterval =
    timeouts.connectionsCheckingIntervalMs ?? SERVER_TIMEOUT_DEFAULTS.connectionsCheckingIntervalMs;
  answerClientErrors(server as unknown as Server);

  const sockets = new Set<Socket>();
  socketsOf.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: ServerHttp2Session) => {
    let open = 0;
    let idle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      idle = setTimeout(() => session.close(), headersTimeoutMs);
      idle.unref();
    };
    arm();
    session.on('stream', (stream) => {
      open += 1;
      clearTimeout(idle);
      stream.once('close', () => {
        open -= 1;
        if (open === 0 && !session.closed) arm();
      });
    });
    session.once('close', () => clearTimeout(idle));
  });
  return server;
}

/** Cuts every connection of an http.Server or a `createHardenedSecureServer` listener. */
export function closeEveryConnection(server: Server | Http2SecureServer): void {
  if ('closeAllConnections' in server) {
    server.closeAllConnections();
    return;
  }
  for (const socket of socketsOf.get(server) ?? []) socket.destroy();
}
