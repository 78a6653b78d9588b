import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
Limits on how long a client may take to *send* its request. They never cut a
response in progress, so event streams stay open: Node checks them only until the
request has been received, which for a GET is as soon as its headers are in.
*/
export interface ServerTimeouts {
  /** Time to receive the request headers. Default 10 s. */
  readonly headersTimeoutMs?: number | undefined;
  /** Time to receive the whole request. Default 30 s. */
  readonly requestTimeoutMs?: number | undefined;
  /** How often Node checks the two timeouts above. Default 2 s (Node's own is 30 s,
  which would let a slow-headers client hold a socket for up to 40 s). */
  readonly connectionsCheckingIntervalMs?: number | undefined;
}

export const SERVER_TIMEOUT_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  connectionsCheckingIntervalMs: 2_000,
} as const;

/** The status line and reason for each kind of unparseable request, as Node's own handler. */
function statusFor(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return '431 Request Header Fields Too Large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return '408 Request Timeout';
    default:
      return '400 Bad Request';
  }
}

/**
Answers a request that is not valid HTTP (or too slow, or with headers too large)
straight on the socket, then closes it. The server goes on serving everyone else.
*/
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // `_httpMessage` is the response in progress on this socket, if any (Node's own
    // handler checks it too): once its headers are out, a raw answer would corrupt it.
    const inProgress = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent === true) {
      socket.destroy();
      return;
    }
    const status = statusFor(error.code);
    const body = `${status.slice(4)}: the request could not be read as HTTP (${error.code ?? 'unknown error'}).\n`;
    const head = [
      `HTTP/1.1 ${status}`,
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
  });
}

/**
A node:http server as `startSseServer` makes one: request timeouts that never cut a
stream in progress (see {@link ServerTimeouts}) and a plain answer to a request Node
cannot parse. For your own server that mounts `sse.handle` beside other routes.
*/
export function createHardenedServer(handler: RequestListener, timeouts: ServerTimeouts = {}): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs ?? SERVER_TIMEOUT_DEFAULTS.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs ?? SERVER_TIMEOUT_DEFAULTS.requestTimeoutMs,
      connectionsCheckingInterval:
        timeouts.connectionsCheckingIntervalMs ?? SERVER_TIMEOUT_DEFAULTS.connectionsCheckingIntervalMs,
    },
    handler,
  );
  answerClientErrors(server);
  return server;
}
