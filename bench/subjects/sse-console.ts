import { startSseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import type { Subject, SubjectOptions } from './subject.js';

/** sse-console through its public API, with default options (or the few given), as a user would write it. */
export async function startSseConsole(options: SubjectOptions): Promise<Subject> {
  const sse = createSse({
    ...(options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit }),
    ...(options.flushMs === undefined ? {} : { flushMs: options.flushMs }),
  });
  const server = await startSseServer(0, sse, { host: '127.0.0.1', portFallback: false });
  return {
    port: server.port,
    path: '/events',
    broadcast(data) {
      sse.sendNewEvent({ data });
    },
    connectionCount: () => sse.connections.length,
    fillHistory(count, data) {
      for (let i = 0; i < count; i += 1) sse.sendNewEvent({ data: data(), id: true });
    },
    async stop() {
      sse.stop();
      await server.stop();
    },
  };
}
