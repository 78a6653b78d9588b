import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type * as NodeHttp2 from 'node:http2';
import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse, ServerHttp2Session } from 'node:http2';
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

/**
The size of a header list as HTTP/2 counts it (RFC 9113 §6.5.2): each field's name
and value in bytes plus 32, pseudo-headers included.
*/
function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const field of rawHeaders) size += Buffer.byteLength(field, 'latin1');
  return size + 16 * rawHeaders.length; // 32 per name-value pair
}

/**
Answers a request whose header block is over the limit. The limit is advertised in
SETTINGS (`maxHeaderListSize`), but Node does not hold a client to it: a client that
sends before the SETTINGS arrive, or ignores them, got its 17 KiB or 100 KiB of
headers served. 431 is HTTP's answer for it (RFC 6585; RFC 9113 §10.5.1), as the
HTTP/1.1 fallback gives.
*/
function refuseLargeHeaders(res: Http2ServerResponse, size: number): void {
  const body = `request header fields too large: ${size} bytes; at most ${MAX_HEADER_LIST_BYTES} (16 KiB) are accepted\n`;
  res.writeHead(431, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Streams one HTTP/2 connection may have open at once; more are refused by the HTTP/2 layer. */
const MAX_STREAMS_PER_SESSION = 100;

/** Raw sockets of each HTTP/2 listener, so `closeEveryConnection` can cut them all. */
const socketsOf = new WeakMap<Http2SecureServer, Set<Socket>>();
/** Open HTTP/2 sessions of each listener, so `closeSessions` can end them with GOAWAY. */
const sessionsOf = new WeakMap<Http2SecureServer, Set<ServerHttp2Session>>();

/**
The HTTP/2 counterpart of `createHardenedServer`: TLS with ALPN h2, falling back to
HTTP/1.1 (`allowHTTP1`) so curl and old clients still work, with the same limits
where HTTP/2 has them:
- header block at most 16 KiB (`maxHeaderListSize`, advertised and checked on every
  request: larger is answered 431, over HTTP/2 and over the HTTP/1.1 fallback);
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
  // node:http2 brings node:tls and node:crypto (~10 ms): loaded only when HTTP/2 is asked for.
  const { createSecureServer }: typeof NodeHttp2 = process.getBuiltinModule('node:http2');
  const server = createSecureServer(
    {
      key: tls.key,
      cert: tls.cert,
      allowHTTP1: true,
      handshakeTimeout: headersTimeoutMs,
      // Node's default allows 2^32-1 streams on one connection: one client could hold
      // every stream the listener serves. 100 is HTTP/2's recommended minimum.
      settings: { maxHeaderListSize: MAX_HEADER_LIST_BYTES, maxConcurrentStreams: MAX_STREAMS_PER_SESSION },
    },
    (req: Http2ServerRequest, res: Http2ServerResponse) => {
      if (req.httpVersionMajor === 2) {
        const size = headerListSize(req.rawHeaders);
        if (size > MAX_HEADER_LIST_BYTES) {
          refuseLargeHeaders(res, size);
          return;
        }
      }
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
  // A handshake that fails or times out (handshakeTimeout) reaches the listener as a
  // `clientError` too, and Node then leaves the socket to whoever listens: the plain-
  // text answer above cannot be written mid-handshake, so cut the socket here.
  server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());

  const sockets = new Set<Socket>();
  socketsOf.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const sessions = new Set<ServerHttp2Session>();
  sessionsOf.set(server, sessions);
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
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

/**
Ends every HTTP/2 session of a `createHardenedSecureServer` listener with GOAWAY and
waits, at most `limitMs`, for them to close. A session closes once its streams are
done, after their last frames left, so clients see a clean end (END_STREAM, then
GOAWAY). Cutting the sockets at once loses frames still queued: on Node 22 the
clients of a stopped listener saw ECONNRESET. Nothing to do for an http.Server.
*/
export async function closeSessions(server: Server | Http2SecureServer, limitMs: number): Promise<void> {
  if ('closeAllConnections' in server) return;
  // A session may be closing already (Node 24's server.close() starts that): wait for it too.
  const open = [...(sessionsOf.get(server) ?? [])].filter((session) => !session.destroyed);
  if (open.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  const closed = Promise.all(
    open.map(
      (session) =>
        new Promise<void>((resolve) => {
          session.once('close', () => resolve());
          if (!session.closed) session.close();
        }),
    ),
  );
  await Promise.race([closed, limit]);
  clearTimeout(timer);
}

/** Cuts every connection of an http.Server or a `createHardenedSecureServer` listener. */
export function closeEveryConnection(server: Server | Http2SecureServer): void {
  if ('closeAllConnections' in server) {
    server.closeAllConnections();
    return;
  }
  for (const socket of socketsOf.get(server) ?? []) socket.destroy();
}
