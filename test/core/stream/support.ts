/**
Test support for the stream and listener tests: a real listener on port 0, raw
HTTP/1.1 clients that expose the chunk framing, `eventsource-parser` as the oracle
for what a client sees, and waiting on conditions with a deadline.
*/
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { EventSource } from 'eventsource';
import { startSseServer, type SseServer, type SseServerOptions } from '../../../core/http/sse-server.js';
import { createSse } from '../../../core/stream/create-sse.js';
import type { Sse, SseLifecycleEvent, SseOptions } from '../../../core/stream/types.js';
import { useCleanup, waitFor } from '../../support/wait.js';

export { useCleanup, waitFor };

export interface TestStream {
  readonly sse: Sse;
  readonly server: SseServer;
  readonly port: number;
  /** Every lifecycle event, in order. */
  readonly lifecycle: SseLifecycleEvent[];
  /** The lifecycle events of one type. */
  readonly of: <T extends SseLifecycleEvent['type']>(type: T) => Array<Extract<SseLifecycleEvent, { type: T }>>;
}

/** A stream served by its own listener on 127.0.0.1, port 0; stopped after the test. */
export async function startTestStream(
  cleanup: (task: () => unknown) => void,
  options: SseOptions = {},
  serverOptions: SseServerOptions = {},
): Promise<TestStream> {
  const sse = createSse({ heartbeatMs: 0, ...options });
  const lifecycle: SseLifecycleEvent[] = [];
  sse.subscribe((event) => lifecycle.push(event));
  const server = await startSseServer(0, sse, serverOptions);
  cleanup(async () => {
    sse.stop();
    await server.stop();
  });
  return {
    sse,
    server,
    port: server.port,
    lifecycle,
    of: (type) => lifecycle.filter((event) => event.type === type) as never,
  };
}

export interface SimpleResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One complete request with node:http (for answers that end: refusals, HEAD, OPTIONS …). */
export function fetchOnce(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string> } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A raw HTTP/1.1 client: status, headers, every chunk as framed, and the parsed events. */
export interface RawStream {
  readonly socket: Socket;
  status: number | undefined;
  headers: Record<string, string>;
  /** Each HTTP chunk's payload, exactly as the server framed it. */
  readonly chunks: Buffer[];
  /** The decoded body so far. */
  body: string;
  /** Bytes received, head included. */
  rawBytes: number;
  /** Everything received, as text (for answers that are not chunked). */
  rawText: string;
  /** The terminating zero-length chunk arrived: the server ended the stream. */
  ended: boolean;
  closed: boolean;
  readonly events: EventSourceMessage[];
  readonly comments: string[];
  readonly retries: number[];
  /** Waits until `test(this)` holds. */
  until(test: (stream: RawStream) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens `GET path` on a raw socket and decodes the chunked body as it arrives. */
export function openRawStream(
  port: number,
  options: {
    path?: string;
    headers?: Record<string, string>;
    method?: string;
    /** Sent verbatim instead of a request built from the options above. */
    requestText?: string;
    cleanup?: (task: () => unknown) => void;
  } = {},
): RawStream {
  const socket = connect({ host: '127.0.0.1', port });
  const decoder = new TextDecoder();
  let pending: Buffer = Buffer.alloc(0);
  let inHead = true;
  let chunked = false;
  const stream: RawStream = {
    socket,
    status: undefined,
    headers: {},
    chunks: [],
    body: '',
    rawBytes: 0,
    rawText: '',
    ended: false,
    closed: false,
    events: [],
    comments: [],
    retries: [],
    until: (test, what, timeoutMs) => waitFor(() => test(stream), what, timeoutMs).then(() => undefined),
    close: () => socket.destroy(),
  };
  const parser = createParser({
    onEvent: (event) => stream.events.push(event),
    onComment: (comment) => stream.comments.push(comment),
    onRetry: (retry) => stream.retries.push(retry),
  });
  const takeBody = (bytes: Buffer): void => {
    const text = decoder.decode(bytes, { stream: true });
    stream.body += text;
    parser.feed(text);
  };

  function consume(): void {
    if (inHead) {
      const end = pending.indexOf('\r\n\r\n');
      if (end === -1) {
        return;
      }
      const [statusLine = '', ...lines] = pending.subarray(0, end).toString('latin1').split('\r\n');
      stream.status = Number(statusLine.split(' ')[1]);
      for (const line of lines) {
        const colon = line.indexOf(':');
        stream.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      chunked = stream.headers['transfer-encoding'] === 'chunked';
      pending = pending.subarray(end + 4);
      inHead = false;
    }
    if (!chunked) {
      if (pending.length > 0) {
        takeBody(pending);
        pending = Buffer.alloc(0);
      }
      return;
    }
    for (;;) {
      const lineEnd = pending.indexOf('\r\n');
      if (lineEnd === -1) {
        return;
      }
      const size = Number.parseInt(pending.subarray(0, lineEnd).toString('latin1'), 16);
      if (pending.length < lineEnd + 2 + size + 2) {
        return;
      }
      const payload = pending.subarray(lineEnd + 2, lineEnd + 2 + size);
      pending = pending.subarray(lineEnd + 2 + size + 2);
      if (size === 0) {
        stream.ended = true;
        return;
      }
      stream.chunks.push(Buffer.from(payload));
      takeBody(payload);
    }
  }

  socket.on('data', (data: Buffer) => {
    stream.rawBytes += data.length;
    stream.rawText += data.toString('latin1');
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    consume();
  });
  socket.on('error', () => {
    // A reset by the server (slow client, stop) is an expected ending here.
  });
  socket.on('close', () => {
    stream.closed = true;
  });
  const headers = { Host: `127.0.0.1:${port}`, Accept: 'text/event-stream', ...options.headers };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(options.requestText ?? `${options.method ?? 'GET'} ${options.path ?? '/'} HTTP/1.1\r\n${head}\r\n`);
  options.cleanup?.(() => socket.destroy());
  return stream;
}

/** An `eventsource` client that records what it receives. */
export interface TestEventSource {
  readonly source: EventSource;
  readonly messages: MessageEvent[];
  /** Data of the received `message` events, in order. */
  readonly data: () => string[];
  opened: number;
  errors: number;
}

export function openEventSource(
  url: string,
  cleanup: (task: () => unknown) => void,
  eventTypes: readonly string[] = [],
): TestEventSource {
  const source = new EventSource(url);
  const client: TestEventSource = {
    source,
    messages: [],
    data: () => client.messages.map((message) => String(message.data)),
    opened: 0,
    errors: 0,
  };
  source.addEventListener('open', () => {
    client.opened += 1;
  });
  source.addEventListener('error', () => {
    client.errors += 1;
  });
  for (const type of ['message', ...eventTypes]) {
    source.addEventListener(type, (event) => client.messages.push(event));
  }
  cleanup(() => source.close());
  return client;
}

/**
Runs `run` with this process's 'uncaughtException' listeners (vitest's) set aside and
returns what reached that event meanwhile: how the library reports a throwing
listener or callback. Waits one macrotask after `run` for re-thrown errors.
*/
export async function captureUncaught(run: () => unknown): Promise<unknown[]> {
  const caught: unknown[] = [];
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const record = (error: unknown): void => {
    caught.push(error);
  };
  process.on('uncaughtException', record);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('uncaughtException', record);
    for (const listener of saved) process.on('uncaughtException', listener);
  }
  return caught;
}
