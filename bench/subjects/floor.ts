import { createBareStreamServer } from './bare-stream-server.js';
import type { Subject } from './subject.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/**
The floor: the least work plain node:http can do for an SSE broadcast. Each event
is framed once; the events sent in one tick are joined and written as one buffer
per connection when the tick ends. No ids, no history, no bookkeeping.
*/
export async function startFloor(): Promise<Subject> {
  const { server, responses } = createBareStreamServer();

  let pending: Buffer[] = [];
  const flush = (): void => {
    const chunk = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    for (const res of responses) res.write(chunk);
  };

  const port = await listenOnLoopback(server);
  return {
    port,
    path: '/events',
    broadcast(data) {
      if (pending.length === 0) process.nextTick(flush);
      pending.push(Buffer.from(`data: ${data}\n\n`));
    },
    connectionCount: () => responses.size,
    stop() {
      for (const res of responses) res.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
