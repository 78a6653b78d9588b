import { createHardenedServer, listen, urlHost } from '../../index.js';
import type { Proxy } from './create-proxy.js';

export interface ProxyServerOptions {
  readonly host?: string;
  readonly portFallback?: boolean;
}

export interface RunningProxyServer {
  readonly port: number;
  readonly requestedPort: number;
  /** The proxy's own URL, ending in "/". */
  readonly url: string;
  stop(): Promise<void>;
}

/** Listens for browsers and hands every request and upgrade to the proxy. */
export async function startProxyServer(
  port: number,
  proxy: Proxy,
  options: ProxyServerOptions = {},
): Promise<RunningProxyServer> {
  const host = options.host ?? '127.0.0.1';
  // Request timeouts protect the listener; upstream answers may take long (they are
  // guarded by the proxy's own upstream timeout), and streams never time out.
  const server = createHardenedServer((req, res) => proxy.handle(req, res), { requestTimeoutMs: 300_000 });
  server.on('upgrade', (req, socket, head) => proxy.upgrade(req, socket, head));
  server.on('connection', (socket) => socket.setNoDelay(true));
  const bound = await listen(server, { port, host, portFallback: options.portFallback });
  return {
    port: bound.port,
    requestedPort: bound.requestedPort,
    url: `http://${urlHost(host)}:${bound.port}/`,
    async stop() {
      proxy.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
