import { Agent, buildConnector, fetch as undiciFetch } from 'undici';

export interface HttpTransportOptions {
  /**
  Cut the body after this many ms without a byte; 0 (the default) never does. A
  browser's EventSource has no such limit: a stream may be silent for an hour.
  */
  readonly idleTimeoutMs?: number;
  /** Give up waiting for the response headers after this many ms. */
  readonly headersTimeoutMs?: number;
  /** Accept any TLS certificate (self-signed, expired, wrong name): curl's -k. */
  readonly insecure?: boolean;
}

export interface HttpTransport {
  readonly fetch: typeof globalThis.fetch;
  /**
  How many of this transport's connections the server has reset (ECONNRESET) so far.
  undici ends a body that has neither a length nor chunking (it ends when the
  connection closes) normally even when the connection was reset, where a browser
  reports a network error; a client compares this count before and after a body.
  */
  readonly resets: () => number;
  /** Close the pooled sockets (a closed client must not keep the process alive). */
  close(): void;
}

/** Five minutes, as Node's own fetch: a server that never answers is reported. */
const DEFAULT_HEADERS_TIMEOUT_MS = 300_000;

/**
The HTTP client behind `createSseClient`: the `undici` package's fetch over an Agent of
our own. Why not Node's global fetch: it is undici too, but with a fixed 300 s
`bodyTimeout`, so a stream that is silent for five minutes is cut where a browser keeps
it, and it takes no TLS options (no --insecure). Why not node:http: fetch already does
what an EventSource does and we would otherwise re-implement — redirects (and the final
URL), Content-Encoding decoding, header validation, combining repeated headers.
*/
export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  let resets = 0;
  const connector = buildConnector(options.insecure === true ? { rejectUnauthorized: false } : {});
  const agent = new Agent({
    bodyTimeout: options.idleTimeoutMs ?? 0,
    headersTimeout: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    // Each socket is watched for a reset before undici sees it: undici takes a reset
    // during a close-delimited body as its end (see `resets`).
    connect(connectOptions, callback) {
      connector(connectOptions, (...result) => {
        result[1]?.on('error', (error: Error & { code?: unknown }) => {
          if (error.code === 'ECONNRESET') resets += 1;
        });
        callback(...result);
      });
    },
  });
  const fetchWithAgent = (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) =>
    // undici's own Request/Response classes are structurally the web ones; the casts
    // only bridge the two type declarations of the same API.
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    }) as unknown as Promise<Response>;
  return {
    fetch: fetchWithAgent,
    resets: () => resets,
    close() {
      agent.close().catch(() => {});
    },
  };
}
