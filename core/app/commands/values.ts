import { MAX_RETRY_MS } from '../../index.js';
import { oneLine, shown } from './messages.js';
import { errorMessage } from '../console/error-message.js';
import type { Result } from '../result.js';

/*
Checks for the values commands take. Each returns the value in its final form or
an error fragment that names the valid form; the caller adds the command's usage.
*/

export type ValueResult<T> = Result<{ value: T }>;

const ok = <T>(value: T): ValueResult<T> => ({ ok: true, value });
const bad = <T>(error: string): ValueResult<T> => ({ ok: false, error });

/** The largest reconnection time accepted: the wire encoder's rule, in one place. */
const MIN_INTERVAL_MS = 10;
const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** A whole number of milliseconds, 0 or more (the `retry:` field). */
export function parseMilliseconds(text: string): ValueResult<number> {
  const ms = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    return bad(`MS must be a whole number of milliseconds, 0 or more, like 3000; got ${shown(text)}`);
  }
  if (ms > MAX_RETRY_MS) return bad(`MS must be at most ${MAX_RETRY_MS} (about 24.8 days); got ${shown(text)}`);
  return ok(ms);
}

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/i;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
The one duration syntax (`every`, `sleep`, `delay`, `connect --timeout`): 500ms, 1s,
1.5s, 2m, 1h, and a bare number of milliseconds where `bareMs` allows it; the
milliseconds, or undefined when the text is not a duration.
*/
export function durationMs(text: string, bareMs: boolean): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null || (match[2] === undefined && !bareMs)) return undefined;
  const unit = (match[2] ?? 'ms').toLowerCase();
  return Math.round(Number(match[1]) * (UNIT_MS[unit] ?? 1));
}

/** An `every` interval: 500ms, 1s, 1.5s, 2m, 1h or bare milliseconds; 10ms to 24h. */
export function parseDuration(text: string): ValueResult<number> {
  const ms = durationMs(text, true);
  if (ms === undefined) {
    return bad(`${shown(text)} is not a duration; write 500ms, 1s, 1.5s, 2m, 1h or a number of milliseconds`);
  }
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    return bad(`${text} is out of range; the interval must be between 10ms and 24h`);
  }
  return ok(ms);
}

function positiveNumber(text: string, prefixes: RegExp): number | undefined {
  const digits = text.replace(prefixes, '');
  if (!/^\d+$/.test(digits)) return undefined;
  const value = Number(digits);
  return value >= 1 && Number.isSafeInteger(value) ? value : undefined;
}

/** A connection number as `conns` shows it: `3` or `#3`. `orElse` names other accepted words. */
export function parseConnectionId(text: string, orElse = ''): ValueResult<number> {
  const id = positiveNumber(text, /^#/);
  return id === undefined
    ? bad(`CONN must be a connection number from conns, like 3 or #3${orElse}; got ${shown(text)}`)
    : ok(id);
}

/** A job number as `jobs` shows it: `1`, also `#1` or `%1`. `orElse` names other accepted words. */
export function parseJobId(text: string, orElse = ''): ValueResult<number> {
  const id = positiveNumber(text, /^[#%]/);
  return id === undefined
    ? bad(`JOB must be a job number from jobs, like 1 or #1${orElse}; got ${shown(text)}`)
    : ok(id);
}

/** An HTTP status code, 100 to 599. */
export function parseStatus(text: string): ValueResult<number> {
  const status = /^\d{3}$/.test(text) ? Number(text) : 0;
  if (status < 100 || status > 599) {
    return bad(`STATUS must be an HTTP status from 100 to 599, like 200 or 204; got ${shown(text)}`);
  }
  return ok(status);
}

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
Text that goes into a protocol line (`event:` field, header value): CR and LF would
end the line and inject new fields, NUL and other controls (tab aside) are refused.
*/
function checkLineText(text: string, what: string): string | undefined {
  if (/[\r\n]/.test(text)) return `${what} may not contain CR or LF (they would end the line)`;
  const control = /[\u0000-\u0008\u000a-\u001f\u007f]/.exec(text);
  if (control !== null) return `${what} may not contain the control character ${codePoint(control[0])}`;
  return undefined;
}

/** An event type for the `event:` field. */
export function checkEventName(text: string): ValueResult<string> {
  if (text === '') return bad('the event NAME is empty; leave out --event to send a plain message event');
  const problem = checkLineText(text, 'an event NAME');
  return problem === undefined ? ok(text) : bad(problem);
}

/**
A header value (also Last-Event-ID). Beyond the line rules, Node and fetch accept
only Latin-1 characters in headers, so anything above U+00FF is refused here
rather than failing later.
*/
export function checkHeaderValue(text: string, what: string): ValueResult<string> {
  const problem = checkLineText(text, what);
  if (problem !== undefined) return bad(problem);
  const wide = /[^\u0000-\u00ff]/u.exec(text);
  if (wide !== null) {
    return bad(`${what} may hold only Latin-1 characters (HTTP headers cannot carry ${codePoint(wide[0])})`);
  }
  return ok(text);
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An HTTP token: a header name or a method (RFC 9110 tchar). */
export const isHttpToken = (text: string): boolean => TOKEN.test(text);

/** A header written `Name: value` or `Name:value`; the value's outer spaces are dropped. */
export function parseHeader(text: string): ValueResult<readonly [string, string]> {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon);
  if (!TOKEN.test(name)) {
    return bad(
      `a header must be written "Name: value" or Name:value, with a name of letters, digits and !#$%&'*+.^_\`|~-; got ${shown(text)}`,
    );
  }
  const value = checkHeaderValue(text.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, ''), `the value of header ${name}`);
  return value.ok ? ok([name, value.value] as const) : value;
}

/**
The address a user means: `localhost:8122/events` → `http://localhost:8122/events`,
`:8122` → `http://127.0.0.1:8122`; text with a scheme is kept as it is. The console's
`connect` and `sse-console connect` both read URLs through it.
*/
export function normalizeUrl(text: string): string {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(text)) return text;
  if (/^:\d+/.test(text)) return `http://127.0.0.1${text}`;
  return `http://${text}`;
}

/** An http:// or https:// URL (the scheme may be left out, see normalizeUrl), returned in normalised form. */
export function parseHttpUrl(text: string): ValueResult<string> {
  let url: URL;
  try {
    url = new URL(normalizeUrl(text));
  } catch {
    return bad(`URL must be a full http:// or https:// address, like http://127.0.0.1:8122/events; got ${shown(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return bad(`URL must start with http:// or https://, not ${shown(url.protocol)}`);
  }
  return ok(url.href);
}

/** Data that must parse as JSON (`send --json`). */
export function checkJson(data: string): ValueResult<string> {
  try {
    JSON.parse(data);
    return ok(data);
  } catch (error) {
    const reason = errorMessage(error);
    return bad(`--json: the data is not valid JSON: ${oneLine(reason)}`);
  }
}
