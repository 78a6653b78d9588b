import { SseArgumentError } from '../errors/sse-error.js';

/**
The request headers of every attempt: what a browser's EventSource sends (Accept and a
no-cache directive), then the caller's own headers, which win. Invalid names or values
throw an SseArgumentError naming the header, before anything is sent.
*/
export function buildBaseHeaders(extra: Readonly<Record<string, string>> = {}): Headers {
  const headers = new Headers({ Accept: 'text/event-stream', 'Cache-Control': 'no-cache' });
  for (const [name, value] of Object.entries(extra)) {
    try {
      headers.set(name, value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SseArgumentError(
        'headers',
        `invalid request header ${JSON.stringify(`${name}: ${value}`)} (${reason}): a header name is letters, digits and !#$%&'*+-.^_\`|~, and a value has no line breaks`,
        { cause: error },
      );
    }
  }
  return headers;
}

/**
A copy of `base` for one request, with `Last-Event-ID` set when there is an id to
resume from and removed otherwise (the spec sends it only when not empty).
*/
export function withLastEventId(base: Headers, lastEventId: string | undefined): Headers {
  const headers = new Headers(base);
  if (lastEventId === undefined || lastEventId === '') {
    headers.delete('last-event-id');
  } else {
    // fetch only takes header values of bytes 0–255; a browser sends an id as UTF-8,
    // so pass its UTF-8 bytes one per character (undici writes headers as latin1).
    headers.set('Last-Event-ID', Buffer.from(lastEventId, 'utf8').toString('latin1'));
  }
  return headers;
}
