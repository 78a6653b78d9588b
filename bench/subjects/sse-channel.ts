import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import SseChannel from 'sse-channel';
import type { Subject } from './subject.js';

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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
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
