import { SseArgumentError } from '../errors/sse-error.js';

/**
The URL an event stream is fetched from: absolute, http or https. Anything else throws
an SseArgumentError that shows the valid form, as `new EventSource(url)` throws for a bad URL.
*/
export function parseStreamUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SseArgumentError(
      'url',
      `${JSON.stringify(String(input))} is not a valid URL: give an absolute http:// or https:// URL, e.g. http://127.0.0.1:8122/events`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SseArgumentError(
      'url',
      `${JSON.stringify(url.href)} uses ${url.protocol}, but an event stream is fetched over http:// or https://, e.g. http://127.0.0.1:8122/events`,
    );
  }
  return url;
}
