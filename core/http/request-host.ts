import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { allowedOrigin, type CorsOrigins } from './cors.js';

/*
Who may drive a listener from a browser. Two attacks need a browser on this machine:
- DNS rebinding: a page re-points its own name at 127.0.0.1, so its requests reach
  the listener as same-origin, with its own name in Host. Refused by `servesHost`:
  a listener answers only names it serves.
- Cross-site requests: any page may POST a "simple" request (text/plain) to
  127.0.0.1; the browser sends it and only hides the answer. Refused by
  `crossSiteProblem`: Sec-Fetch-Site and Origin say where the request came from.
*/

/** True for 127.0.0.0/8 and ::1, in plain or IPv4-mapped form. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/** The host name of a Host header (or an origin's host), lower case, IPv6 without brackets. */
function hostnameOf(host: string): string | undefined {
  try {
    const hostname = new URL(`http://${host}/`).hostname.toLowerCase();
    return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  } catch {
    return undefined;
  }
}

/** The bound host as a bare lower-case name, or undefined for a wildcard bind. */
function boundName(boundHost: string): string {
  return boundHost.toLowerCase().replace(/^\[|\]$/g, '');
}

/**
True when a Host header names this machine (localhost, *.localhost, 127.x, ::1), the
host the listener was bound to, or any IP address. A rebinding page always sends a
DNS name of its own, so IP literals are safe, and accepting them keeps
`--host 0.0.0.0` usable from other machines by address. The port is not compared:
the name is what rebinding changes, and a port forwarded elsewhere (a container's
`-p 9000:8122`) must keep working.
*/
export function isLocalHostHeader(hostHeader: string | undefined, boundHost: string): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  const bare = hostnameOf(hostHeader);
  if (bare === undefined) return false;
  return bare === 'localhost' || bare.endsWith('.localhost') || isIP(bare) !== 0 || bare === boundName(boundHost);
}

/** Why the request's Host is not one the listener serves (for a 403), or undefined. */
export function hostProblem(req: IncomingMessage, boundHost: string): string | undefined {
  const host = req.headers.host;
  // Browsers always send Host; a client without one (HTTP/1.0) is not a web page.
  if (host === undefined || isLocalHostHeader(host, boundHost)) return undefined;
  const shown = `Host ${JSON.stringify(host.slice(0, 100).replace(/[^\x20-\x7e]/g, '?'))}`;
  return (
    `${shown} is not a name this listener serves (localhost, 127.0.0.1, [::1], an IP address` +
    `${isIP(boundName(boundHost)) === 0 && boundName(boundHost) !== 'localhost' ? `, ${boundHost}` : ''}): ` +
    'refused to stop DNS rebinding'
  );
}

/**
Why a state-changing request (POST) from a browser comes from another site, or
undefined if it may go on: `Sec-Fetch-Site: cross-site` is refused, and an Origin
must be this listener's own (same scheme and host:port as the request's Host, a
local name) or one that `allowed` (--cors and the pages' origins) admits. A request without Origin is not from a page (curl, a
script): browsers send Origin on every POST.
*/
export function crossSiteProblem(req: IncomingMessage, boundHost: string, allowed: CorsOrigins): string | undefined {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  const shownOrigin = JSON.stringify(
    String(origin)
      .slice(0, 100)
      .replace(/[^\x20-\x7e]/g, '?'),
  );
  if (origin !== undefined && origin !== '' && allowedOrigin(req, allowed) !== undefined) return undefined;
  if (site === 'cross-site') {
    return `a cross-site request (Sec-Fetch-Site: cross-site${origin === undefined ? '' : `, Origin ${shownOrigin}`}) may not change state here; allow its origin with --cors`;
  }
  if (origin === undefined || origin === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  // Same origin: the page was served by this listener under the name it was asked
  // by (Host, checked by `hostProblem`), whatever port a forwarder maps it to.
  const host = (req.headers.host ?? '').toLowerCase();
  if (url === undefined || url.protocol !== 'http:' || url.host !== host || !isLocalHostHeader(host, boundHost)) {
    return `Origin ${shownOrigin} is not this console's pages nor allowed with --cors; a page from another site may not change state here`;
  }
  return undefined;
}
