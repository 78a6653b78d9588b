import type { Server } from 'node:net';
import { ListenError, SseArgumentError } from '../errors/sse-error.js';

/** What `listen` takes. */
export interface ListenOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1: reachable from this machine only. */
  readonly host?: string | undefined;
  /** The listen backlog (node:net `listen`). */
  readonly backlog?: number | undefined;
  /** Do not share the port with cluster workers (node:net `listen`). */
  readonly exclusive?: boolean | undefined;
  /** When the port is busy, try the next ports (up to PORT_FALLBACK_TRIES more). */
  readonly portFallback?: boolean | undefined;
}

/** What `listen` resolves to. */
export interface Listening {
  /** The port bound (differs from `requestedPort` after a fallback, or for port 0). */
  readonly port: number;
  /** The port asked for. */
  readonly requestedPort: number;
}

/** How many ports after a busy one `portFallback` tries. */
export const PORT_FALLBACK_TRIES = 20;

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** One listen attempt; settles on `listening` or the first `error`. */
function listenOnce(server: Server, port: number, options: ListenOptions, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({
      port,
      host,
      ...(options.backlog === undefined ? {} : { backlog: options.backlog }),
      ...(options.exclusive === undefined ? {} : { exclusive: options.exclusive }),
    });
  });
}

function explain(error: unknown, port: number, lastPort: number, host: string): ListenError {
  const code = errorCode(error);
  const where = `on ${host}`;
  const another = 'Pass another port, or port 0 to let the system pick a free one.';
  let message: string;
  switch (code) {
    case 'EADDRINUSE':
      message =
        lastPort === port
          ? `Port ${port} ${where} is already in use (another program is listening there). ${another}`
          : `Ports ${port}-${lastPort} ${where} are all in use. ${another}`;
      break;
    case 'EACCES':
      message =
        `Port ${port} ${where} needs privileges this process lacks (ports below 1024 usually do). ` +
        'Use a port from 1024 up, or port 0.';
      break;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      message =
        `Cannot listen ${where}: it is not an address of this machine. ` +
        'Use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).';
      break;
    default:
      message = `Cannot listen on port ${port} ${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return new ListenError(message, code, port, host, { cause: error });
}

/**
Binds `server` (an http, https or net server) and resolves with the port used. With
`portFallback`, a busy port (EADDRINUSE) moves on to the next ones, up to
PORT_FALLBACK_TRIES more; any other failure, or a busy port without fallback,
rejects with a ListenError that says what to do.
@throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) for a port that is not 0–65535.
@throws {@link ListenError} (`ERR_SSE_LISTEN`) when no port could be bound.
@example
```ts
const server = createHardenedServer((req, res) => void sse.handle(req, res));
const { port } = await listen(server, { port: 8122, portFallback: true });
```
*/
export async function listen(server: Server, options: ListenOptions): Promise<Listening> {
  const requestedPort = options.port;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new SseArgumentError(
      'port',
      `port must be a whole number from 0 to 65535 (0 picks a free port): got ${String(requestedPort)}`,
    );
  }
  const fallback = options.portFallback === true && requestedPort !== 0;
  const lastPort = fallback ? Math.min(65535, requestedPort + PORT_FALLBACK_TRIES) : requestedPort;
  for (let port = requestedPort; ; port += 1) {
    try {
      await listenOnce(server, port, options, host);
    } catch (error) {
      if (errorCode(error) === 'EADDRINUSE' && port < lastPort) {
        continue;
      }
      throw explain(error, requestedPort, lastPort, host);
    }
    const address = server.address();
    const bound = typeof address === 'object' && address !== null ? address.port : port;
    return { port: bound, requestedPort };
  }
}
