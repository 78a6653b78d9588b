import { STATUS_CODES } from 'node:http';
import { extractMimeType } from './extract-mime-type.js';

/**
Whose rules a request follows: a plain GET is what a browser's EventSource makes;
anything else (another method, a body) a page can only make with fetch().
*/
export type RequestSemantics = 'eventsource' | 'fetch';

/** `eventsource` for a GET without a body, else `fetch`. */
export function requestSemantics(method: string, hasBody: boolean): RequestSemantics {
  return method.toUpperCase() === 'GET' && !hasBody ? 'eventsource' : 'fetch';
}

export interface ResponseFailure {
  readonly code: 'bad-status' | 'bad-content-type' | 'bad-charset';
  readonly message: string;
}

/** "204 No Content", using the canonical reason phrase when the server sent none. */
function describeStatus(status: number, statusText = ''): string {
  const reason = statusText.trim() || STATUS_CODES[status] || '';
  return reason === '' ? String(status) : `${status} ${reason}`;
}

/**
The spec's gate before "announce the connection": the status must be 200 and the
Content-Type's MIME essence must be text/event-stream (a trailing `;` does not matter;
several Content-Type headers are combined as fetch does). Anything else fails the
connection for good. With `strictCharset`, a charset other than UTF-8 fails too, as in
Chromium (the spec says to ignore it and decode UTF-8).
*/
export function checkEventStreamResponse(
  status: number,
  statusText: string,
  contentType: string | null,
  options: { readonly strictCharset?: boolean; readonly semantics?: RequestSemantics } = {},
): ResponseFailure | undefined {
  const fetchSemantics = options.semantics === 'fetch';
  if (status !== 200) {
    return {
      code: 'bad-status',
      message: fetchSemantics
        ? describeBadStatusForFetch(status, statusText, contentType)
        : describeBadStatus(status, statusText),
    };
  }
  if (fetchSemantics && extractMimeType(contentType)?.essence !== 'text/event-stream') {
    const type =
      contentType === null ? 'no Content-Type' : `Content-Type ${JSON.stringify(contentType)}, not text/event-stream`;
    return {
      code: 'bad-content-type',
      message: `the server answered 200 OK with ${type}: fetch() resolves with it as an ordinary body (response.ok is true), so a page reading it as an event stream gets no event; the client stops here (an LLM API answers JSON when the request does not ask it to stream, e.g. "stream": true)`,
    };
  }
  if (contentType === null) {
    return {
      code: 'bad-content-type',
      message:
        'the server answered 200 OK without a Content-Type header: an event stream must be sent as "Content-Type: text/event-stream", so a browser fails the connection and does not reconnect',
    };
  }
  const mimeType = extractMimeType(contentType);
  const essence = mimeType?.essence;
  if (essence !== 'text/event-stream') {
    const seen = essence === undefined ? 'which is not a valid MIME type' : `(MIME type ${essence})`;
    return {
      code: 'bad-content-type',
      message: `the server answered 200 OK with Content-Type ${JSON.stringify(contentType)} ${seen}: an event stream must be sent as "Content-Type: text/event-stream", so a browser fails the connection and does not reconnect`,
    };
  }
  if (options.strictCharset === true && !isChromiumUtf8Charset(mimeType?.charset)) {
    return {
      code: 'bad-charset',
      message: `the server answered Content-Type ${JSON.stringify(contentType)}, whose charset is not UTF-8: Chromium fails such a connection ("not UTF-8. Aborting the connection") and does not reconnect (--strict); the spec says to ignore the charset and decode UTF-8, as Firefox does. Send "Content-Type: text/event-stream" or charset=utf-8`,
    };
  }
  return undefined;
}

/**
Chromium's rule (EventSource::DidReceiveResponse): no charset, or one that equals
"UTF-8" ignoring ASCII case; "utf8" is refused.
*/
export function isChromiumUtf8Charset(charset: string | undefined): boolean {
  return charset === undefined || charset === '' || charset.toLowerCase() === 'utf-8';
}

function describeBadStatus(status: number, statusText: string): string {
  const answered = `the server answered ${describeStatus(status, statusText)}`;
  if (status === 204) {
    return `${answered}: per the SSE spec a browser stops reconnecting (servers send 204 to say "stop")`;
  }
  if (status >= 300 && status < 400) {
    return `${answered}, a redirect that was not followed (is the Location header missing?): an EventSource needs a final 200 OK, so a browser fails the connection and does not reconnect`;
  }
  const hint =
    status === 401 || status === 403
      ? ' (does the stream need credentials, such as an Authorization header?)'
      : status === 404
        ? ' (is the path right? many servers stream on /events)'
        : '';
  return `${answered}${hint}: an EventSource only accepts 200 OK, so a browser fails the connection and does not reconnect`;
}

/**
fetch() does not fail on a status: it resolves with the response, and a page decides.
The client stops (there are no events to show), and says what a page would get.
*/
function describeBadStatusForFetch(status: number, statusText: string, contentType: string | null): string {
  const answered = `the server answered ${describeStatus(status, statusText)}`;
  if (status >= 200 && status < 300) {
    return `${answered}: fetch() resolves with it (response.ok is true), but only 200 OK is taken as a stream here, so the client stops`;
  }
  if (status >= 300 && status < 400) {
    return `${answered}, a redirect that was not followed (is the Location header missing?): fetch() resolves with it and a page reads no event, so the client stops`;
  }
  const stream =
    extractMimeType(contentType)?.essence === 'text/event-stream'
      ? '; its body is an event stream, which a page that does not check response.ok would still parse'
      : '';
  return `${answered}: fetch() resolves with it (response.ok is false; fetch does not throw), so a page must check response.ok and read the body as the error${stream}; the client stops`;
}
