import type { IncomingMessage } from 'node:http';
import type * as NodeCrypto from 'node:crypto';

/** node:crypto, loaded on first use: it takes ~5 ms to load and start-up does not need it. */
function crypto(): typeof NodeCrypto {
  return process.getBuiltinModule('node:crypto');
}

/** The query parameter that carries `--token` once; the proxy then keeps it in a cookie. */
const TOKEN_PARAM = 'sse-console-token';
/**
The cookie's name carries the proxy's port (`sse_console_token_8122`): browsers send a
127.0.0.1 cookie to every port of 127.0.0.1, so two proxies would otherwise overwrite
each other's, and every such cookie is stripped before forwarding, whichever port.
*/
const TOKEN_COOKIE_PREFIX = 'sse_console_token';

function tokenCookieName(port: number | undefined): string {
  return `${TOKEN_COOKIE_PREFIX}_${port ?? 0}`;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto().timingSafeEqual(left, right);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export type AccessResult =
  { readonly ok: true; readonly setCookie: boolean } | { readonly ok: false; readonly problem: string };

/**
The proxy's own `--token`: the app behind it has its own auth (Authorization headers,
cookies), which must reach it untouched, so the proxy's token travels apart from
them: `?sse-console-token=T` once, then a SameSite=Strict cookie the proxy sets and
strips again before forwarding.
*/
export function checkProxyAccess(
  req: IncomingMessage,
  query: URLSearchParams,
  token: string | undefined,
): AccessResult {
  if (token === undefined) return { ok: true, setCookie: false };
  const fromQuery = query.get(TOKEN_PARAM);
  if (fromQuery !== null && same(fromQuery, token)) return { ok: true, setCookie: true };
  const fromCookie = cookieValue(req, tokenCookieName(req.socket.localPort));
  if (fromCookie !== undefined && same(fromCookie, token)) {
    const foreign = foreignOrigin(req);
    if (foreign === undefined) return { ok: true, setCookie: false };
    return {
      ok: false,
      problem: `the request came from ${foreign}, not from the proxy's own pages, so the proxy's cookie does not count (another local port is another origin); open the page with ?${TOKEN_PARAM}=TOKEN`,
    };
  }
  return {
    ok: false,
    problem: `this proxy needs its --token: open any page once with ?${TOKEN_PARAM}=TOKEN and the browser keeps it in a cookie`,
  };
}

/**
Why a request is from a page of another origin, or undefined when it is from the
proxy's own pages or from no page at all (a typed URL, curl). Cookies are not
port-scoped: a page on another 127.0.0.1 port is "same-site" and its requests carry
the proxy's cookie, so the cookie alone would let it in. Browsers mark such requests
with `Sec-Fetch-Site` (anything but same-origin or none) and send `Origin` on
requests that could change something and on every CORS request; an Origin other
than the proxy's own (the request's Host, over http) is refused too.
*/
function foreignOrigin(req: IncomingMessage): string | undefined {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const own = `http://${req.headers.host ?? ''}`.toLowerCase();
  if (origin !== undefined && origin !== 'null' && origin.toLowerCase() !== own) return `the page at ${origin}`;
  if (origin === 'null') return 'a page with an opaque origin';
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `a ${site} page (Sec-Fetch-Site: ${site})`;
  }
  return undefined;
}

/** The Set-Cookie value that keeps the token in this browser, for the proxy on `port`. */
export function tokenCookie(token: string, port: number | undefined): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** A Cookie header without any proxy's token cookie (whatever its port), or undefined when nothing is left. */
export function cookieWithoutToken(cookie: string): string | undefined {
  const kept = cookie
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !/^sse_console_token(_\d+)?=/.test(part));
  return kept.length === 0 ? undefined : kept.join('; ');
}

/**
The request target to forward: as the browser sent it, byte for byte, except that the
proxy's own token parameter is taken out (re-serialising the whole query would change
its encoding, which some apps sign or compare).
*/
export function withoutTokenParam(path: string, query: string): string {
  if (query === '') return path;
  const kept = query.split('&').filter((pair) => {
    const name = pair.split('=')[0] ?? '';
    try {
      return decodeURIComponent(name.replace(/\+/g, ' ')) !== TOKEN_PARAM;
    } catch {
      return true;
    }
  });
  return kept.length === 0 ? path : `${path}?${kept.join('&')}`;
}
