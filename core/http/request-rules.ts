import type * as NodeCrypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { printable } from './printable.js';
import type { RequestTarget } from './request-target.js';

/** The methods an event-stream URL answers, for `Allow` headers. */
export const STREAM_ALLOW = 'GET, HEAD, OPTIONS';

/** `?closeAfter=N` bounds: the stream hangs up after N events. */
const CLOSE_AFTER_MIN = 1;
const CLOSE_AFTER_MAX = 10_000;

/** What a stream request asks for beyond the path. */
export interface StreamParams {
  /** `Last-Event-ID` header, else `?lastEventId=`; undefined when absent or empty. */
  readonly lastEventId: string | undefined;
  /** `?closeAfter=N`, if given. */
  readonly closeAfter: number | undefined;
}

export type StreamParamsResult =
  { readonly ok: true; readonly params: StreamParams } | { readonly ok: false; readonly problem: string };

/**
Reads the resume cursor and, when `closeAfterQuery` is on, `closeAfter` from a
stream request (off, the query parameter is ignored). The header wins over the
query: browsers send the header on their own reconnects, while the query serves page
reloads, where a new EventSource cannot set headers.
*/
export function readStreamParams(
  req: IncomingMessage,
  target: RequestTarget,
  closeAfterQuery: boolean,
): StreamParamsResult {
  const header = req.headers['last-event-id'];
  const fromHeader = typeof header === 'string' && header !== '' ? header : undefined;
  const fromQuery = target.query.get('lastEventId') ?? '';
  const lastEventId = fromHeader ?? (fromQuery === '' ? undefined : fromQuery);

  const closeAfterText = closeAfterQuery ? target.query.get('closeAfter') : null;
  if (closeAfterText === null) {
    return { ok: true, params: { lastEventId, closeAfter: undefined } };
  }
  const closeAfter = /^[0-9]{1,5}$/.test(closeAfterText) ? Number(closeAfterText) : Number.NaN;
  if (!(closeAfter >= CLOSE_AFTER_MIN && closeAfter <= CLOSE_AFTER_MAX)) {
    // JSON quoting makes C0 controls visible; printable() also covers C1 and bidi marks.
    const shown = printable(JSON.stringify(closeAfterText.slice(0, 40)), 80);
    return {
      ok: false,
      problem:
        `closeAfter must be a whole number from ${CLOSE_AFTER_MIN} to ${CLOSE_AFTER_MAX} ` +
        `(the stream hangs up after that many events): got ${shown}`,
    };
  }
  return { ok: true, params: { lastEventId, closeAfter } };
}

/** What `checkToken` found: a matching token, none offered, or only wrong ones. */
export type TokenCheck = 'ok' | 'missing' | 'wrong';

/**
Compares without leaking, through timing, how much of a guess was right: both sides
are hashed to equal-length digests first, as `timingSafeEqual` needs equal lengths.
*/
function sameSecret(given: string, expected: string): boolean {
  // node:crypto takes ~5 ms to load and only token checks need it: it loads on the first one.
  const crypto: typeof NodeCrypto = process.getBuiltinModule('node:crypto');
  const digest = (text: string): Buffer => crypto.createHash('sha256').update(text, 'utf8').digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/** The token from `Authorization: Bearer T`, if that header has that form. */
function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return match?.[1];
}

/**
A stream with a token accepts `?token=T` (EventSource cannot set headers) or
`Authorization: Bearer T` (fetch-based clients). Either one matching is enough.
*/
export function checkToken(req: IncomingMessage, target: RequestTarget, expected: string): TokenCheck {
  const offered = [target.query.get('token'), bearerToken(req)].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (offered.length === 0) {
    return 'missing';
  }
  // Compare every offered value (no early exit), so timing does not tell which one matched.
  let matched = false;
  for (const value of offered) {
    matched = sameSecret(value, expected) || matched;
  }
  return matched ? 'ok' : 'wrong';
}
