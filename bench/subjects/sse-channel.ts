import { createServer } from 'node:http';
import SseChannel from 'sse-channel';
import type { Subject } from './subject.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/** sse-channel as its README shows: one channel, `addClient(req, res)`, `send(data)`. */
export async function startSseChannel(): Promise<Subject> {
  const channel = new SseChannel();
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/events')) {
      channel.addClient(req, res);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    path: '/events',
    broadcast(data) {
      channel.send(data);
    },
    connectionCount: () => channel.getConnectionCount(),
    stop() {
      channel.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
