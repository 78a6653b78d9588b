import { generate } from 'selfsigned';
import { startSseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import type { Subject, SubjectOptions } from './subject.js';

/** sse-console over HTTP/2 with TLS (`startSseServer`'s `http2` option), otherwise as `sse-console`. */
export async function startSseConsoleH2(options: SubjectOptions): Promise<Subject> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
  const sse = createSse(options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit });
  const server = await startSseServer(0, sse, {
    host: '127.0.0.1',
    portFallback: false,
    http2: { key: pems.private, cert: pems.cert },
  });
  return {
    port: server.port,
    path: '/events',
    protocol: 'h2',
    broadcast(data) {
      sse.sendNewEvent({ data });
    },
    connectionCount: () => sse.connections.length,
    async stop() {
      sse.stop();
      await server.stop();
    },
  };
}
