/** A network failure in words, with the code it came from. */
export interface NetworkErrorDescription {
  /** The system or undici error code found on the error or its causes, if any. */
  readonly code: string | undefined;
  /** What failed (connecting, or mid-stream), to which host, and what it usually means. */
  readonly message: string;
}

const explanations: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing is listening on that port (ECONNREFUSED)',
  ENOTFOUND: 'the host name does not resolve (ENOTFOUND)',
  EAI_AGAIN: 'the DNS lookup failed for now (EAI_AGAIN)',
  ECONNRESET: 'the server reset the connection (ECONNRESET)',
  EPIPE: 'the server closed the connection while the request was sent (EPIPE)',
  ETIMEDOUT: 'the connection timed out (ETIMEDOUT)',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out (UND_ERR_CONNECT_TIMEOUT)',
  EHOSTUNREACH: 'the host is unreachable (EHOSTUNREACH)',
  ENETUNREACH: 'the network is unreachable (ENETUNREACH)',
  UND_ERR_SOCKET: 'the server closed the connection before ending the response properly',
  UND_ERR_HEADERS_TIMEOUT: 'the server sent no response headers in time (UND_ERR_HEADERS_TIMEOUT)',
  UND_ERR_BODY_TIMEOUT: 'the server sent nothing for too long (UND_ERR_BODY_TIMEOUT)',
  Z_DATA_ERROR:
    'the body could not be decoded: its Content-Encoding names a compression the bytes are not in (Z_DATA_ERROR)',
  Z_BUF_ERROR: 'the compressed body ended before its compressed data did (Z_BUF_ERROR)',
  ERR_BROTLI_DECOMPRESSION_FAILED:
    'the body could not be decoded: its Content-Encoding says br but the bytes are not Brotli',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed and not trusted (--insecure accepts it)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the TLS certificate chain is self-signed and not trusted (--insecure accepts it)',
  CERT_HAS_EXPIRED: 'the TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the TLS certificate does not name this host',
};

/**
fetch (undici) rejects with a bare "fetch failed" or "terminated"; the useful part
is in the `cause` chain. Turn it into words a learner can act on. Works on node:http
errors too. `phase` says whether the request was connecting or already streaming.
*/
export function describeNetworkError(error: unknown, phase: 'connect' | 'stream', url: URL): NetworkErrorDescription {
  const { code, detail } = findCause(error);
  const explanation =
    (code === undefined ? undefined : explanations[code]) ??
    (detail === 'bad port'
      ? `fetch refuses port ${url.port} as browsers do (it is on the "bad ports" list); use another port`
      : code === undefined
        ? detail
        : `${detail} (${code})`);
  const message =
    phase === 'connect'
      ? `could not connect to ${url.host}: ${explanation}`
      : `the connection to ${url.host} dropped mid-stream: ${explanation}`;
  return { code, message };
}

function findCause(error: unknown): { code: string | undefined; detail: string } {
  let current: unknown = error;
  let detail = error instanceof Error ? error.message : String(error);
  // Bounded walk: cause chains are short, but a cycle must not hang us.
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (current.message !== '') detail = current.message;
    if (typeof code === 'string') return { code, detail };
    const nested = errorsOf(current)[0];
    current = current.cause ?? nested;
  }
  return { code: undefined, detail };
}

/** An AggregateError (connecting to several addresses) keeps its errors in `errors`. */
function errorsOf(error: Error): unknown[] {
  return error instanceof AggregateError ? error.errors : [];
}
