import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChannel, createSession } from 'better-sse';
import type { Subject } from './subject.js';

/** better-sse as its docs show: `createSession(req, res)`, `channel.register`, `channel.broadcast(data)`. */
export async function startBetterSse(): Promise<Subject> {
  const channel = createChannel();
  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/events')) {
      res.writeHead(404);
      res.end();
      return;
    }
    createSession(req, res).then(
      (session) => channel.register(session),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    path: '/events',
    broadcast(data) {
      channel.broadcast(data);
    },
    connectionCount: () => channel.sessionCount,
    stop() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
