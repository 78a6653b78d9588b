import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Subject } from './subject.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/** The response head, written by hand: the same headers the floor sends, chunked. */
const HEAD = Buffer.from(
  'HTTP/1.1 200 OK\r\n' +
    'Content-Type: text/event-stream\r\n' +
    'Cache-Control: no-cache, no-transform\r\n' +
    'X-Accel-Buffering: no\r\n' +
    'Transfer-Encoding: chunked\r\n' +
    '\r\n',
  'latin1',
);

/**
The ceiling: the most Node can do for an SSE broadcast over HTTP/1.1. node:http
parses the request; the head is then written by hand, and each tick's events are
joined and framed as one HTTP/1.1 chunk once, and that one buffer is written
straight to every socket (no ServerResponse, no cork, no per-connection framing).
The same bytes on the wire as the floor's.
*/
export async function startCeiling(): Promise<Subject> {
  const sockets = new Set<Socket>();
  const server = createServer((req) => {
    const socket = req.socket;
    socket.setNoDelay(true);
    socket.write(HEAD);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    const sizeLine = `${pendingBytes.toString(16)}\r\n`;
    const framed = Buffer.allocUnsafe(sizeLine.length + pendingBytes + 2);
    let offset = framed.write(sizeLine, 0, 'latin1');
    for (const part of pending) offset += part.copy(framed, offset);
    framed.write('\r\n', offset, 'latin1');
    pending = [];
    pendingBytes = 0;
    for (const socket of sockets) socket.write(framed);
  };

  const port = await listenOnLoopback(server);
  return {
    port,
    path: '/events',
    broadcast(data) {
      if (pending.length === 0) process.nextTick(flush);
      const part = Buffer.from(`data: ${data}\n\n`);
      pending.push(part);
      pendingBytes += part.length;
    },
    connectionCount: () => sockets.size,
    stop() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
