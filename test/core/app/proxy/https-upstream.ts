/**
HTTPS apps for the proxy's tests, as a developer runs them: a certificate signed by a
local CA for 127.0.0.1 and localhost (what mkcert makes), or a self-signed one, made
at test time with selfsigned; a node:https app; a TLS server that writes its HTTP
answers by hand (chunk extensions and split chunks, which only the raw relay keeps);
and a raw browser that keeps every byte of the proxy's answer.
*/
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import {
  createServer as createTlsServer,
  getCACertificates,
  setDefaultCACertificates,
  type Server as TlsServer,
  type TLSSocket,
} from 'node:tls';
import { generate } from 'selfsigned';
import type { Cleanup } from '../../../support/wait.js';

export interface TlsCredentials {
  readonly key: string;
  readonly cert: string;
}

export interface LocalCa {
  /** The CA's certificate: what NODE_EXTRA_CA_CERTS points at. */
  readonly caCert: string;
  /** A server certificate (and its key) the CA signed, for 127.0.0.1 and localhost. */
  readonly server: TlsCredentials;
  /** One it signed for app.test only. */
  readonly otherHost: TlsCredentials;
}

interface SubjectAltName {
  readonly name: 'subjectAltName';
  readonly altNames: ({ type: 2; value: string } | { type: 7; ip: string })[];
}

const SERVER_NAMES: SubjectAltName = {
  name: 'subjectAltName',
  altNames: [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ],
};

let localCaMade: Promise<LocalCa> | undefined;

/** A local CA and a server certificate it signed, made once per test file. */
export function localCa(): Promise<LocalCa> {
  localCaMade ??= (async () => {
    const ca = await generate([{ name: 'commonName', value: 'sse-console test CA' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const signed = async (names: SubjectAltName): Promise<TlsCredentials> => {
      const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        ca: { key: ca.private, cert: ca.cert },
        extensions: [{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', serverAuth: true }, names],
      });
      return { key: pems.private, cert: pems.cert };
    };
    return {
      caCert: ca.cert,
      server: await signed(SERVER_NAMES),
      otherHost: await signed({ name: 'subjectAltName', altNames: [{ type: 2, value: 'app.test' }] }),
    };
  })();
  return localCaMade;
}

let selfSignedMade: Promise<TlsCredentials> | undefined;

/** A self-signed certificate for 127.0.0.1 and localhost, made once per test file. */
export function selfSigned(): Promise<TlsCredentials> {
  selfSignedMade ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [SERVER_NAMES],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return selfSignedMade;
}

/**
Makes this process trust `caCert` as NODE_EXTRA_CA_CERTS does at start-up (the
proxy's https Agent sets no CA of its own), until the test's cleanup.
*/
export function trustInThisProcess(caCert: string, cleanup: Cleanup): void {
  const before = getCACertificates('default');
  setDefaultCACertificates([...before, caCert]);
  cleanup(() => setDefaultCACertificates(before));
}

async function listen(server: HttpsServer | TlsServer, cleanup: Cleanup): Promise<URL> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}

/** A node:https app on port 0. */
export async function startHttpsUpstream(
  credentials: TlsCredentials,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  cleanup: Cleanup,
): Promise<{ url: URL; server: HttpsServer }> {
  const server = createHttpsServer(credentials, handler);
  return { url: await listen(server, cleanup), server };
}

const STREAM_HEAD =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n';

/**
A TLS app written by hand: a request for /events gets STREAM_HEAD on its connection,
then whatever the test writes raw there (`sockets`); any other request gets a short
page, and the connection is kept for the next request. `connections` counts them.
*/
export async function rawHttpsUpstream(
  credentials: TlsCredentials,
  cleanup: Cleanup,
): Promise<{ url: URL; sockets: TLSSocket[]; connections: () => number }> {
  const sockets: TLSSocket[] = [];
  const all = new Set<TLSSocket>();
  let connections = 0;
  const server = createTlsServer(credentials, (socket) => {
    connections += 1;
    all.add(socket);
    let head = '';
    socket.on('data', (data: Buffer) => {
      if (sockets.includes(socket)) return;
      head += data.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [, target = ''] = head.split(' ', 2);
      head = head.slice(end + 4);
      if (target.startsWith('/events')) {
        socket.write(STREAM_HEAD);
        sockets.push(socket);
      } else {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\npage');
      }
    });
    socket.on('error', () => undefined);
  });
  cleanup(() => {
    for (const socket of all) socket.destroy();
  });
  return { url: await listen(server, cleanup), sockets, connections: () => connections };
}

/** One chunk of a chunked body, with an optional extension. */
export const chunk = (text: string, extension = ''): string =>
  `${Buffer.byteLength(text).toString(16).toUpperCase()}${extension}\r\n${text}\r\n`;

export interface RawBrowser {
  /** Every byte of the answer so far. */
  bytes(): Buffer;
  /** The answer's body (after its head) so far. */
  body(): Buffer;
  closed(): boolean;
}

/** `GET /events` with Accept: text/event-stream on a plain socket to the proxy. */
export function rawBrowser(port: number, cleanup: Cleanup): RawBrowser {
  const received: Buffer[] = [];
  let closed = false;
  const socket = connect({ port, host: '127.0.0.1' });
  socket.write(
    `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`,
  );
  socket.on('data', (data: Buffer) => received.push(data));
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => undefined);
  cleanup(() => socket.destroy());
  const bytes = (): Buffer => Buffer.concat(received);
  return {
    bytes,
    body() {
      const all = bytes();
      const end = all.indexOf('\r\n\r\n');
      return end === -1 ? Buffer.alloc(0) : all.subarray(end + 4);
    },
    closed: () => closed,
  };
}
