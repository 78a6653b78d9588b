import type { IncomingMessage } from 'node:http';
import { cookieWithoutToken } from './proxy-access.js';
import { endToEndHeaders, rawHeader } from './hop-by-hop.js';

/**
The headers sent upstream: the browser's end-to-end headers as written (order,
case, duplicates), `Host` rewritten to the upstream (a virtual host must see its
own name), and the X-Forwarded-* trio so the app knows who really asked.
*/
export function upstreamRequestHeaders(req: IncomingMessage, upstream: URL, stripTokenCookie: boolean): string[] {
  const incomingHost = req.headers.host;
  const headers = endToEndHeaders(
    req.rawHeaders,
    new Set(['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'cookie']),
  );
  const cookie = req.headers.cookie;
  const keptCookie = cookie === undefined ? undefined : stripTokenCookie ? cookieWithoutToken(cookie) : cookie;
  if (keptCookie !== undefined) headers.push('Cookie', keptCookie);
  const priorFor = rawHeader(req.rawHeaders, 'x-forwarded-for');
  const address = req.socket.remoteAddress ?? '';
  headers.push(
    'Host',
    upstream.host,
    'X-Forwarded-For',
    priorFor === undefined ? address : `${priorFor}, ${address}`,
    'X-Forwarded-Proto',
    rawHeader(req.rawHeaders, 'x-forwarded-proto') ?? 'http',
    'X-Forwarded-Host',
    rawHeader(req.rawHeaders, 'x-forwarded-host') ?? incomingHost ?? upstream.host,
  );
  return headers;
}

/** The upstream's response headers for the browser, without hop-by-hop ones. */
export function browserResponseHeaders(upstreamRes: IncomingMessage): string[] {
  return endToEndHeaders(upstreamRes.rawHeaders);
}
