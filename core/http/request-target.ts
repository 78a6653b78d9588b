import { printable } from './printable.js';

/** The path and query of a request, split once. */
export interface RequestTarget {
  /** Path without the query, e.g. `/events`. */
  readonly pathname: string;
  /** The query's parameters. */
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

/** `query` as text with any `token` value replaced by `***`; unchanged (as written) when it has none. */
function redactedQuery(query: URLSearchParams, written: string): string {
  if (!query.has('token')) return written;
  const redacted = new URLSearchParams(query);
  redacted.set('token', '***');
  return redacted.toString();
}

/** The target for logs and the connections pane: any `token` value replaced by `***`. */
export function displayPath(target: RequestTarget): string {
  const mark = target.raw.indexOf('?');
  if (mark === -1) return printable(target.raw, PATH_DISPLAY_LIMIT);
  return printable(`${target.pathname}?${redactedQuery(target.query, target.raw.slice(mark + 1))}`, PATH_DISPLAY_LIMIT);
}

/**
A URL for logs and status lines, redacted as `displayPath` redacts a request: a
`token` query value and a password become `***`. Not cut or escaped (the writer does
that); text that is not a URL comes back as it is.
*/
export function displayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.searchParams.has('token') && parsed.password === '') return url;
  if (parsed.password !== '') parsed.password = '***';
  const search = parsed.search === '' ? '' : `?${redactedQuery(parsed.searchParams, parsed.search.slice(1))}`;
  parsed.search = '';
  const hash = parsed.hash;
  parsed.hash = '';
  return `${parsed.href}${search}${hash}`;
}

/** `text` with every http(s) URL in it redacted by `displayUrl` (for an echoed command line). */
export function redactUrlsIn(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(/https?:\/\/[^\s"']+/gi, (url) => displayUrl(url));
}
