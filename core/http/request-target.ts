import { printable } from './printable.js';

/** The path and query of a request, split once. */
export interface RequestTarget {
  /** Path without the query, e.g. `/events`. */
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** The request target as sent (`req.url`). */
  readonly raw: string;
}

/** Longest path kept for display (the rest is cut with `…`). */
const PATH_DISPLAY_LIMIT = 512;

/**
Splits `req.url`. Parsed by hand rather than with `new URL(raw, base)`, which would
read a target such as `//events` as a host name; an absolute-form target
(`http://host/path`, as proxies send) is reduced to its path and query.
*/
export function parseTarget(rawUrl: string | undefined): RequestTarget {
  let raw = rawUrl ?? '/';
  if (!raw.startsWith('/') && /^https?:\/\//i.test(raw)) {
    try {
      const url = new URL(raw);
      raw = `${url.pathname}${url.search}`;
    } catch {
      // Not a URL after all: keep it whole; routing will answer 404.
    }
  }
  const mark = raw.indexOf('?');
  const pathname = mark === -1 ? raw : raw.slice(0, mark);
  const query = new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1));
  return { pathname, query, raw };
}

/** The target for logs and the connections pane: any `token` value replaced by `***`. */
export function displayPath(target: RequestTarget): string {
  if (!target.query.has('token')) {
    return printable(target.raw, PATH_DISPLAY_LIMIT);
  }
  const query = new URLSearchParams(target.query);
  query.set('token', '***');
  return printable(`${target.pathname}?${query.toString()}`, PATH_DISPLAY_LIMIT);
}
