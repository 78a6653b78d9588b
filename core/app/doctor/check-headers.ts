import { collectConnectWarnings, extractMimeType, isChromiumUtf8Charset } from '../../index.js';
import type { Finding } from './finding.js';
import type { ObservedResponse } from './observation.js';

/** What the page asking for the stream looks like, for the CORS check. */
export interface HeaderCheckContext {
  /** `--origin`: the origin of the page that would open the stream. */
  readonly origin: string | undefined;
  readonly url: string;
  readonly alpn: string | undefined;
}

/**
The response head against what browsers require and what proxies do with it: the
status and Content-Type EventSource insists on, a charset Chromium refuses, caching,
a length that ends the stream, CORS for the page's origin, and what the HTTP version
means for the six-connections-per-host limit.
*/
export function checkHeaders(response: ObservedResponse, context: HeaderCheckContext): Finding[] {
  const findings: Finding[] = [];
  const { headers } = response;
  const contentType = headers['content-type'];
  const essence = extractMimeType(contentType ?? null)?.essence;
  const cacheControl = headers['cache-control'];
  if (essence !== 'text/event-stream') {
    findings.push({
      code: 'headers',
      level: 'error',
      message:
        contentType === undefined
          ? 'the response has no Content-Type: EventSource fails it and never reconnects'
          : `Content-Type is ${contentType}: EventSource needs text/event-stream, fails anything else and never reconnects`,
      advice: 'send Content-Type: text/event-stream',
      evidence: { contentType: contentType ?? null },
    });
  } else {
    findings.push(...connectWarningFindings(headers));
  }
  if (context.origin !== undefined) findings.push(...checkCors(headers, context.origin));
  findings.push(httpVersionFinding(response, context));
  if (!findings.some((finding) => finding.level === 'warn' || finding.level === 'error')) {
    findings.unshift({
      code: 'headers',
      level: 'ok',
      message: `status 200, Content-Type ${contentType ?? ''}, Cache-Control ${cacheControl ?? ''}`,
      evidence: { contentType: contentType ?? null, cacheControl: cacheControl ?? null },
    });
  }
  return findings;
}

/**
The client's header warnings (shared with `connect` and the proxy), as findings: a
charset Chromium refuses is an error (the stream never opens there). Compression and
X-Accel-Buffering are left to the delivery check, which measures whether they bite.
*/
function connectWarningFindings(headers: Readonly<Record<string, string>>): Finding[] {
  const measuredElsewhere = new Set(['content-encoding', 'x-accel-buffering']);
  return collectConnectWarnings(new Headers(Object.entries(headers)))
    .filter((warning) => !measuredElsewhere.has(warning.code))
    .map((warning) => ({
      code: 'headers',
      level: warning.code === 'charset' ? 'error' : warning.level === 'warning' ? 'warn' : 'info',
      message: warning.message,
      evidence: { warning: warning.code },
    }));
}

/**
Whether a browser's EventSource would read this body at all: status 200, a Content-Type
whose MIME type fetch extracts as text/event-stream, and a charset Chromium accepts
(the client's rules, so doctor and `connect` agree).
*/
export function browserReadsStream(response: ObservedResponse): boolean {
  const mimeType = extractMimeType(response.headers['content-type'] ?? null);
  return (
    response.status === 200 && mimeType?.essence === 'text/event-stream' && isChromiumUtf8Charset(mimeType.charset)
  );
}

function checkCors(headers: Readonly<Record<string, string>>, origin: string): Finding[] {
  const allowed = headers['access-control-allow-origin'];
  if (allowed === undefined) {
    return [
      {
        code: 'headers',
        level: 'error',
        message: `a page on ${origin} cannot read this stream: the response has no Access-Control-Allow-Origin`,
        advice: `send Access-Control-Allow-Origin: ${origin} (or * when no cookies are needed)`,
        evidence: { origin, allowOrigin: null },
      },
    ];
  }
  if (allowed !== '*' && allowed !== origin) {
    return [
      {
        code: 'headers',
        level: 'error',
        message: `a page on ${origin} cannot read this stream: Access-Control-Allow-Origin is ${allowed}`,
        advice: `send Access-Control-Allow-Origin: ${origin}`,
        evidence: { origin, allowOrigin: allowed },
      },
    ];
  }
  return [
    {
      code: 'headers',
      level: 'ok',
      message: `a page on ${origin} may read this stream (Access-Control-Allow-Origin: ${allowed})`,
      evidence: { origin, allowOrigin: allowed },
    },
  ];
}

function httpVersionFinding(response: ObservedResponse, context: HeaderCheckContext): Finding {
  const https = context.url.startsWith('https:');
  if (context.alpn === 'h2') {
    return {
      code: 'headers',
      level: 'info',
      message:
        'the server offers HTTP/2 (TLS ALPN h2): browsers multiplex their streams on one connection (about 100 at once), so many tabs are fine',
      evidence: { httpVersion: response.httpVersion, alpn: context.alpn },
    };
  }
  return {
    code: 'headers',
    level: 'info',
    message: `HTTP/${response.httpVersion}${https ? ' (the server did not offer h2 in TLS)' : ''}: a browser opens at most 6 connections per host, so a seventh stream (tab) on this host waits until one closes`,
    advice: https ? 'serve HTTP/2 to lift the limit' : 'serve HTTP/2 over TLS to lift the limit',
    evidence: { httpVersion: response.httpVersion, alpn: context.alpn ?? null },
  };
}
