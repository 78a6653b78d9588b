import { createBareStreamServer } from './bare-stream-server.js';
import type { Subject, SubjectOptions } from './subject.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/** A stream entry as RESP2 gives it: [id, [field, value, …]]. */
type Entry = [string, string[]];

/**
The Redis floor: the least a process can do to carry an event through Redis to
another process's SSE clients. Two bare node-redis clients per process, no engine:
`broadcast` is one plain `XADD` (no epoch, no trimming, no transaction); a loop on the
second client does `XREAD BLOCK` from the last id it read and writes each reply's
entries, framed once and joined, to every response of a bare node:http server. No
ids to clients, no replay, no hand-over.
*/
export async function startRedisFloor(options: SubjectOptions): Promise<Subject> {
  if (options.redisUrl === undefined) throw new Error('the redis-floor subject needs options.redisUrl');
  const key = `${options.redisPrefix ?? 'bench:'}floor`;
  const { createClient } = await import('redis');
  const client = createClient({ url: options.redisUrl, RESP: 2 });
  const blocking = client.duplicate();
  client.on('error', () => undefined);
  blocking.on('error', () => undefined);
  await client.connect();
  await blocking.connect();

  const { server, responses } = createBareStreamServer();

  let stopped = false;
  const reading = (async () => {
    let last = '$';
    while (!stopped) {
      const reply = await blocking
        .sendCommand<[string, Entry[]][] | null>(['XREAD', 'COUNT', '512', 'BLOCK', '1000', 'STREAMS', key, last])
        .catch(() => null);
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      last = entries.at(-1)?.[0] ?? last;
      const chunk = Buffer.from(entries.map(([, fields]) => `data: ${fields[1] ?? ''}\n\n`).join(''));
      for (const res of responses) res.write(chunk);
    }
  })();

  const port = await listenOnLoopback(server);
  return {
    port,
    path: '/events',
    broadcast(data) {
      client.sendCommand(['XADD', key, '*', 'd', data]).catch((error: unknown) => {
        process.stderr.write(`XADD failed: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    },
    connectionCount: () => responses.size,
    async stop() {
      stopped = true;
      blocking.destroy();
      await reading;
      for (const res of responses) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.close();
    },
  };
}
