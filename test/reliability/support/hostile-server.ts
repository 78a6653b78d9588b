/**
A hostile event-stream server on a raw `node:net` socket: it writes exactly the bytes
a test gives it (a reason phrase with escape sequences, megabytes of controls), which
`node:http` would refuse to send.
*/
import { createServer, type Server, type Socket } from 'node:net';
import type { Cleanup } from '../../support/wait.js';

export interface HostileServer {
  /** `http://127.0.0.1:PORT/events`. */
  readonly url: string;
  readonly port: number;
  /** Requests seen so far (their heads, as latin1 text). */
  readonly requests: string[];
  /** How many responses have had their whole body written. */
  bodiesWritten(): number;
}

export interface HostileResponse {
  /** The status line without CRLF; default `HTTP/1.1 200 OK`. */
  readonly statusLine?: string;
  /** Extra header lines (`Name: value`), written as latin1 bytes. */
  readonly headers?: readonly string[];
  /** Writes the body (no chunking: the body ends when the socket does). */
  readonly body: (socket: Socket) => void | Promise<void>;
}

/** Starts the server on 127.0.0.1:0; every request gets `respond()`. Closed after the test. */
export async function startHostileServer(respond: () => HostileResponse, cleanup: Cleanup): Promise<HostileServer> {
  const requests: string[] = [];
  let bodiesWritten = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      requests.push(head);
      const response = respond();
      const lines = [
        response.statusLine ?? 'HTTP/1.1 200 OK',
        'Content-Type: text/event-stream',
        'Cache-Control: no-cache',
        'X-Accel-Buffering: no',
        'Connection: close',
        ...(response.headers ?? []),
      ];
      socket.write(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
      void Promise.resolve(response.body(socket)).then(
        () => {
          bodiesWritten += 1;
        },
        () => socket.destroy(),
      );
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/events`, port, requests, bodiesWritten: () => bodiesWritten };
}

/** Writes `total` bytes of `fill` in 1 MiB pieces, waiting for the socket to drain between them. */
export async function writeMany(socket: Socket, fill: number, total: number): Promise<void> {
  const piece = Buffer.alloc(1024 * 1024, fill);
  for (let written = 0; written < total && !socket.destroyed; written += piece.length) {
    const part = total - written < piece.length ? piece.subarray(0, total - written) : piece;
    if (!socket.write(part)) await new Promise((resolve) => socket.once('drain', resolve));
  }
}
