import { isChromiumUtf8Charset } from './check-event-stream-response.js';
import { extractMimeType } from './extract-mime-type.js';
import type { SseConnectWarning } from './types.js';

/** Where a request was sent and where its response came from after redirects. */
export interface RedirectSeen {
  /** The URL asked for: a page opening it is taken to be served from its origin. */
  readonly requestedUrl: URL;
  /** The response's URL, after redirects. */
  readonly finalUrl: URL;
}

/**
What in an accepted event-stream response commonly delays or breaks the stream in
practice: compression, caching, proxy buffering, a fixed length, charset confusion.
Browsers say none of this; a console should.
*/
export function collectConnectWarnings(headers: Headers, redirect?: RedirectSeen): SseConnectWarning[] {
  const warnings: SseConnectWarning[] = [];

  const crossOrigin = redirect === undefined ? undefined : describeCrossOriginRedirect(headers, redirect);
  if (crossOrigin !== undefined)
    warnings.push({ code: 'cross-origin-redirect', level: 'warning', message: crossOrigin });

  const contentEncoding = headers.get('content-encoding');
  if (contentEncoding !== null && contentEncoding.trim().toLowerCase() !== 'identity') {
    warnings.push({
      code: 'content-encoding',
      level: 'warning',
      message: `Content-Encoding: ${contentEncoding}: a compressor buffers output until it has enough bytes, so events arrive late or in bursts; do not compress text/event-stream, or flush the compressor after every event`,
    });
  }

  const cacheControl = headers.get('cache-control');
  if (cacheControl === null) {
    warnings.push({
      code: 'cache-control-missing',
      level: 'warning',
      message:
        'no Cache-Control header: a cache or proxy may store or buffer the stream; send "Cache-Control: no-cache" (add no-transform to keep proxies from compressing it)',
    });
  } else if (!/\bno-(cache|store)\b/i.test(cacheControl)) {
    warnings.push({
      code: 'cache-control-weak',
      level: 'warning',
      message: `Cache-Control: ${cacheControl} does not say no-cache: a cache or proxy may store or buffer the stream; send "Cache-Control: no-cache"`,
    });
  }

  const accelBuffering = headers.get('x-accel-buffering');
  if (accelBuffering?.trim().toLowerCase() !== 'no') {
    warnings.push({
      code: 'x-accel-buffering',
      level: 'hint',
      message:
        'no "X-Accel-Buffering: no": behind nginx the response is buffered and events arrive in bursts; send that header (or set proxy_buffering off)',
    });
  }

  const contentLength = headers.get('content-length');
  if (contentLength !== null) {
    warnings.push({
      code: 'content-length',
      level: 'warning',
      message: `Content-Length: ${contentLength}: the body ends after that many bytes and the client reconnects each time; leave Content-Length out so the response streams (chunked) until the server closes it`,
    });
  }

  const transferEncoding = headers.get('transfer-encoding');
  if (transferEncoding !== null) {
    const codings = transferEncoding.split(',').map((coding) => coding.trim().toLowerCase());
    const others = codings.filter((coding) => coding !== 'chunked' && coding !== '');
    if (others.length > 0) {
      warnings.push({
        code: 'transfer-encoding',
        level: 'warning',
        message: `Transfer-Encoding: ${transferEncoding}: a ${others.join(', ')} coding is compression by another layer, which buffers events; "chunked" alone is what a stream needs`,
      });
    }
  }

  const charset = extractMimeType(headers.get('content-type'))?.charset;
  if (!isChromiumUtf8Charset(charset)) {
    warnings.push({
      code: 'charset',
      level: 'warning',
      message: `charset=${charset ?? ''} is not UTF-8: Chromium browsers fail the connection ("not UTF-8. Aborting the connection") and do not reconnect; the spec (and Firefox) ignore the charset and decode UTF-8, which this client does (--strict fails like Chromium). Send "Content-Type: text/event-stream" or charset=utf-8`,
    });
  }

  return warnings;
}

/**
A redirect to another origin makes the request cross-origin for the page that made it
(taken to be served from the requested URL's origin): a browser then reads the response
only if Access-Control-Allow-Origin allows that origin (`*`, or the origin itself);
otherwise EventSource fires `error` and closes, and fetch rejects with a TypeError.
This client follows the redirect as it is, so it says so.
*/
function describeCrossOriginRedirect(headers: Headers, { requestedUrl, finalUrl }: RedirectSeen): string | undefined {
  const pageOrigin = requestedUrl.origin;
  if (finalUrl.origin === pageOrigin) return undefined;
  const allowed = headers.get('access-control-allow-origin')?.trim();
  if (allowed === '*' || allowed === pageOrigin) return undefined;
  const refusal =
    allowed === undefined || allowed === ''
      ? 'answers without Access-Control-Allow-Origin'
      : `allows only ${JSON.stringify(allowed)}`;
  return `redirected from ${pageOrigin} to another origin, ${finalUrl.origin}, which ${refusal}: a browser page served from ${pageOrigin} is refused this response (EventSource fires error and closes, fetch rejects with a TypeError) and sees none of these events; ${finalUrl.origin} must send "Access-Control-Allow-Origin: *" or "${pageOrigin}"`;
}
