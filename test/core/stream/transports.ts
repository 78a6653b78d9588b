/**
The ways a stream is mounted in someone else's server, for the behaviour suite that
runs the same tests against each: `sse.handle(req, res)` in node:http, and
`sse.fetch(request)` behind node:http (a hand-written Request/Response bridge) and
behind Hono on @hono/node-server (a real fetch-handler framework). Each listens on
127.0.0.1, port 0, and serves the stream at every path.
*/
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import type { Sse } from '../../../core/index.js';

interface MountedStream {
  readonly port: number;
  close(): Promise<void>;
}

export interface Transport {
  readonly name: string;
  mount(sse: Sse): Promise<MountedStream>;
}

async function listening(server: Server): Promise<MountedStream> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A Request for a node:http request, aborted when its response closes. */
function webRequest(req: IncomingMessage, res: ServerResponse): Request {
  const aborted = new AbortController();
  res.once('close', () => aborted.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    signal: aborted.signal,
  });
}

/** Writes a Response to node:http, pulling its body only as the socket takes it. */
async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body === null) {
    res.end();
    return;
  }
  res.flushHeaders();
  // pipeline waits for 'drain' before reading on, and cancels the body when res closes.
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res).catch(() => undefined);
}

export const transports: readonly Transport[] = [
  {
    name: 'sse.handle on node:http',
    mount: (sse) => listening(createServer((req, res) => void sse.handle(req, res))),
  },
  {
    name: 'sse.fetch on node:http (Request/Response bridge)',
    mount: (sse) =>
      listening(
        createServer((req, res) => {
          const peer = { remoteAddress: req.socket.remoteAddress, remotePort: req.socket.remotePort };
          void sse.fetch(webRequest(req, res), peer).then((response) => writeResponse(response, res));
        }),
      ),
  },
  {
    name: 'sse.fetch on Hono (@hono/node-server)',
    async mount(sse) {
      const app = new Hono();
      app.all('*', (c) => {
        const { remote } = getConnInfo(c);
        return sse.fetch(c.req.raw, { remoteAddress: remote.address, remotePort: remote.port });
      });
      const server = await new Promise<Server>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
      });
      return {
        port: (server.address() as AddressInfo).port,
        async close() {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        },
      };
    },
  },
];
