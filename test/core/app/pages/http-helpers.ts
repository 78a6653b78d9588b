import { request } from 'node:http';
import { fetchOnce, type SimpleResponse } from '../../../reliability/support/raw-http.js';
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';

/**
One HTTP request with the path sent exactly as given (no normalisation), so
traversal attempts reach the server unchanged. A fresh socket per request.
*/
export function fetchRaw(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<SimpleResponse> {
  return fetchOnce(baseUrl, { ...init, path });
}

export { waitFor } from '../../../support/wait.js';

export interface StreamReader {
  readonly status: () => number | undefined;
  readonly events: readonly EventSourceMessage[];
  close(): void;
}

/** A raw client reading an event stream, parsed by eventsource-parser as an independent oracle. */
export function readStream(url: string): StreamReader {
  const events: EventSourceMessage[] = [];
  let status: number | undefined;
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const target = new URL(url);
  const req = request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      headers: { Accept: 'text/event-stream' },
      agent: false,
    },
    (res) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('error', () => undefined);
    },
  );
  req.on('error', () => undefined);
  req.end();
  return {
    status: () => status,
    events,
    close: () => req.destroy(),
  };
}
