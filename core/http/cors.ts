import type { IncomingMessage } from 'node:http';

/** Origins a stream lets browsers read it from: a list, `'*'` (any), or none. */
export type CorsOrigins = readonly string[] | '*' | undefined;

/** Methods and request headers an EventSource (or a fetch-based client) may use. */
const CORS_ALLOW_METHODS = 'GET, HEAD, OPTIONS';
const CORS_ALLOW_HEADERS = 'Last-Event-ID, Authorization, Cache-Control';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

/** Origins are compared as browsers send them: lower case, without a trailing slash. */
function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/**
The request's Origin if `allowed` admits it, else undefined. `allowed` is read on
every call because the console adds the demo pages' origin after the stream exists.
*/
export function allowedOrigin(req: IncomingMessage, allowed: CorsOrigins): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined || origin === '' || allowed === undefined) {
    return undefined;
  }
  if (allowed === '*') {
    return origin;
  }
  const wanted = normalizeOrigin(origin);
  return allowed.some((entry) => normalizeOrigin(entry) === wanted) ? origin : undefined;
}

/**
CORS headers for any answer to `req`. The allowed origin is echoed (never `*`), and
`Vary: Origin` tells caches the answer depends on it. No CORS configured: none.
*/
export function corsHeaders(req: IncomingMessage, allowed: CorsOrigins): Record<string, string> {
  if (allowed === undefined || (allowed !== '*' && allowed.length === 0)) {
    return {};
  }
  const origin = allowedOrigin(req, allowed);
  return origin === undefined ? { Vary: 'Origin' } : { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
}

/**
Headers of the 204 answer to a preflight (`OPTIONS`) request. The method and header
lists are always sent; only `Access-Control-Allow-Origin` (present or not) decides
whether the browser goes on.
*/
export function preflightHeaders(req: IncomingMessage, allowed: CorsOrigins): Record<string, string> {
  return {
    ...corsHeaders(req, allowed),
    Allow: CORS_ALLOW_METHODS,
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
  };
}
