/**
A raw HTTP/1.1 event-stream client on a plain socket: it decodes the chunked body as
it arrives (without buffering a whole chunk, so tens of megabytes stay cheap), sees
the terminating chunk that marks a clean end, and hands the text to
`eventsource-parser`, the independent judge of what a browser would see.
*/
import { connect, type Socket } from 'node:net';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { waitFor, type Cleanup } from '../../support/wait.js';

export interface StreamClient {
  readonly socket: Socket;
  status: number | undefined;
  /** Response headers, names in lower case. */
  readonly headers: Record<string, string>;
  readonly events: EventSourceMessage[];
  readonly comments: string[];
  readonly retries: number[];
  /** Body bytes received (chunk framing excluded). */
  bodyBytes: number;
  /** The zero-length chunk arrived: the server ended the stream cleanly. */
  ended: boolean;
  closed: boolean;
  until(test: (client: StreamClient) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Drops the connection with a FIN. */
  close(): void;
}

export interface StreamClientOptions {
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Keep every event (default) or only count them (for very long streams). */
  readonly keepEvents?: boolean;
  /** Called for each event, in order. */
  readonly onEvent?: (event: EventSourceMessage) => void;
  readonly cleanup?: Cleanup;
}

type BodyState = 'head' | 'size' | 'data' | 'data-end' | 'done' | 'plain';

/** Opens `GET path` on 127.0.0.1:port and reads the stream until the test closes it. */
export function openStream(port: number, options: StreamClientOptions = {}): StreamClient {
  const socket = connect({ host: '127.0.0.1', port });
  const decoder = new TextDecoder();
  const keepEvents = options.keepEvents ?? true;
  const client: StreamClient = {
    socket,
    status: undefined,
    headers: {},
    events: [],
    comments: [],
    retries: [],
    bodyBytes: 0,
    ended: false,
    closed: false,
    until: (test, what, timeoutMs) => waitFor(() => test(client), what, timeoutMs).then(() => undefined),
    close: () => socket.destroy(),
  };
  const parser = createParser({
    onEvent(event) {
      if (keepEvents) client.events.push(event);
      options.onEvent?.(event);
    },
    onComment: (comment) => client.comments.push(comment),
    onRetry: (retry) => client.retries.push(retry),
  });

  let state: BodyState = 'head';
  let head = '';
  let sizeLine = '';
  let remaining = 0;

  const body = (bytes: Buffer): void => {
    client.bodyBytes += bytes.length;
    parser.feed(decoder.decode(bytes, { stream: true }));
  };

  function feed(data: Buffer): void {
    let at = 0;
    while (at < data.length) {
      switch (state) {
        case 'head': {
          head += data.subarray(at).toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end === -1) return;
          const consumed = data.length - at - (head.length - end - 4);
          at += consumed;
          const [statusLine = '', ...lines] = head.slice(0, end).split('\r\n');
          client.status = Number(statusLine.split(' ')[1]);
          for (const line of lines) {
            const colon = line.indexOf(':');
            client.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
          }
          state = client.headers['transfer-encoding'] === 'chunked' ? 'size' : 'plain';
          break;
        }
        case 'size': {
          const lineEnd = data.indexOf('\n', at);
          if (lineEnd === -1) {
            sizeLine += data.subarray(at).toString('latin1');
            return;
          }
          sizeLine += data.subarray(at, lineEnd).toString('latin1');
          at = lineEnd + 1;
          remaining = Number.parseInt(sizeLine.trim(), 16);
          sizeLine = '';
          if (remaining === 0) {
            client.ended = true;
            state = 'done';
            return;
          }
          state = 'data';
          break;
        }
        case 'data': {
          const take = Math.min(remaining, data.length - at);
          body(data.subarray(at, at + take));
          at += take;
          remaining -= take;
          if (remaining === 0) state = 'data-end';
          break;
        }
        case 'data-end': {
          // The CRLF after a chunk's data.
          const lineEnd = data.indexOf('\n', at);
          if (lineEnd === -1) return;
          at = lineEnd + 1;
          state = 'size';
          break;
        }
        case 'plain':
          body(data.subarray(at));
          return;
        case 'done':
          return;
      }
    }
  }

  socket.on('data', feed);
  socket.on('error', () => {
    // A reset by the server (slow client, shutdown) is an expected ending here.
  });
  socket.on('close', () => {
    client.closed = true;
  });
  const headers = { Host: `127.0.0.1:${port}`, Accept: 'text/event-stream', ...options.headers };
  const headLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`GET ${options.path ?? '/events'} HTTP/1.1\r\n${headLines}\r\n`);
  options.cleanup?.(() => socket.destroy());
  return client;
}
