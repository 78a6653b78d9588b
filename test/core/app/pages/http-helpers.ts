import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
One HTTP request with the path sent exactly as given (no normalisation), so
traversal attempts reach the server unchanged. A fresh socket per request.
*/
export function fetchRaw(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path} within 10 s`)));
    req.on('error', reject);
    req.end();
  });
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
