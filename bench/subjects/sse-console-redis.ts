import { startSseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import { connectRedisEngine } from '../../core/redis/index.js';
import type { Subject, SubjectOptions } from './subject.js';

/**
sse-console on the Redis engine (`sse-console/redis`), as a user would write it: one
process of several sharing one stream. `broadcast` stores the event in the log with
`publish`; every process (this one included) sends it when its feed reads it.
*/
export async function startSseConsoleRedis(options: SubjectOptions): Promise<Subject> {
  if (options.redisUrl === undefined) throw new Error('the sse-console-redis subject needs options.redisUrl');
  const engine = await connectRedisEngine({ url: options.redisUrl, prefix: 'bench:', maxLength: 100_000 });
  const sse = createSse({ store: engine.store('bench') });
  const server = await startSseServer(0, sse, { host: '127.0.0.1', portFallback: false });
  return {
    port: server.port,
    path: '/events',
    broadcast(data) {
      sse.publish({ data, id: true }).catch((error: unknown) => {
        process.stderr.write(`publish failed: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    },
    connectionCount: () => sse.connections.length,
    async stop() {
      sse.stop();
      await server.stop();
      await engine.close();
    },
  };
}
