import { createServer } from 'node:http';
import { createChannel, createSession } from 'better-sse';
import type { Subject } from './subject.js';
import { listenOnLoopback } from './listen-on-loopback.js';

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
  const port = await listenOnLoopback(server);
  return {
    port,
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
