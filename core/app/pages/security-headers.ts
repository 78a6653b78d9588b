/**
The Content-Security-Policy for demo pages: scripts, styles and everything else
from this origin only, plus the stream's origin for EventSource. Pages carry no
inline script or style, so nothing needs 'unsafe-inline'.
*/
export function contentSecurityPolicy(sseUrl: string): string {
  const sseOrigin = originOf(sseUrl);
  const connectSrc = sseOrigin === undefined ? "'self'" : `'self' ${sseOrigin}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${connectSrc}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every page-listener response carries. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** `http://host:port` of an absolute http(s) URL; undefined for a relative one (same origin). */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}
