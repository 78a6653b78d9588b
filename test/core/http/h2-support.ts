/**
HTTP/2 clients for the listener tests: a node:http2 session per test, its streams
parsed with eventsource-parser (the same oracle as the HTTP/1.1 tests), and one
self-signed localhost certificate for the whole file.
*/
import { connect, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { generate } from 'selfsigned';
import type { TlsCredentials } from '../../../core/http/secure-server.js';

let credentials: Promise<TlsCredentials> | undefined;

/** A key and certificate for localhost, 127.0.0.1 and ::1, made once per test file. */
export function testCredentials(): Promise<TlsCredentials> {
  credentials ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return credentials;
}

/** A session to `origin` (self-signed certificate accepted), closed by `cleanup`. */
export function openSession(
  origin: string,
  cleanup: (task: () => unknown) => void,
  settings: { readonly initialWindowSize?: number } = {},
): ClientHttp2Session {
  const session = connect(origin, { rejectUnauthorized: false, settings });
  session.on('error', () => {}); // the tests look at what the streams saw
  cleanup(() => session.destroy());
  return session;
}

export interface H2Stream {
  readonly stream: ClientHttp2Stream;
  /** The response headers, once they arrived. */
  readonly headers: IncomingHttpHeaders | undefined;
  readonly events: readonly EventSourceMessage[];
  readonly text: string;
  /** True once the stream closed (ended, reset or its session went away). */
  readonly closed: boolean;
  /** The RST_STREAM code it closed with (0 for a clean end). */
  readonly rstCode: number | undefined;
}

/** One GET on `session`, read as an event stream (unless `read` is false: a client that never reads). */
export function requestStream(
  session: ClientHttp2Session,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  read = true,
): H2Stream {
  const stream = session.request({ ':path': path, accept: 'text/event-stream', ...headers }, { endStream: true });
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const state: {
    headers: IncomingHttpHeaders | undefined;
    text: string;
    closed: boolean;
    rstCode: number | undefined;
  } = { headers: undefined, text: '', closed: false, rstCode: undefined };
  stream.on('response', (received) => {
    state.headers = received;
  });
  stream.on('error', () => {});
  stream.on('close', () => {
    state.closed = true;
    state.rstCode = stream.rstCode;
  });
  if (read) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      state.text += chunk;
      parser.feed(chunk);
    });
  } else {
    stream.pause();
  }
  return {
    stream,
    events,
    get headers() {
      return state.headers;
    },
    get text() {
      return state.text;
    },
    get closed() {
      return state.closed;
    },
    get rstCode() {
      return state.rstCode;
    },
  };
}
