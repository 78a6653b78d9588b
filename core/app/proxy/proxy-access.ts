import type { IncomingMessage } from 'node:http';
import type * as NodeCrypto from 'node:crypto';

/** node:crypto, loaded on first use: it takes ~5 ms to load and start-up does not need it. */
function crypto(): typeof NodeCrypto {
  return process.getBuiltinModule('node:crypto');
}

/** The query parameter that carries `--token` once; the proxy then keeps it in a cookie. */
const TOKEN_PARAM = 'sse-console-token';
const TOKEN_COOKIE = 'sse_console_token';

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
  const fromCookie = cookieValue(req, TOKEN_COOKIE);
  if (fromCookie !== undefined && same(fromCookie, token)) return { ok: true, setCookie: false };
  return {
    ok: false,
    problem: `this proxy needs its --token: open any page once with ?${TOKEN_PARAM}=TOKEN and the browser keeps it in a cookie`,
  };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** A Cookie header without the proxy's own cookie, or undefined when nothing is left. */
export function cookieWithoutToken(cookie: string): string | undefined {
  const kept = cookie
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith(`${TOKEN_COOKIE}=`));
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
