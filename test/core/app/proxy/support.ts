import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy, type Proxy, type ProxyOptions } from '../../../../core/app/proxy/create-proxy.js';
import { startProxyServer } from '../../../../core/app/proxy/start-proxy-server.js';
import type { ProxyReport } from '../../../../core/app/proxy/types.js';
import type { Cleanup } from '../../../support/wait.js';

export interface Upstream {
  readonly url: URL;
  readonly server: Server;
  /** Every request the upstream received, with its body. */
  readonly requests: { req: IncomingMessage; body: string }[];
}

/** A real node:http app on port 0; `handler` answers after the body was read. */
export async function startUpstream(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
  cleanup: Cleanup,
): Promise<Upstream> {
  const requests: { req: IncomingMessage; body: string }[] = [];
  const listener: RequestListener = (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ req, body });
      handler(req, res, body);
    });
  };
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), server, requests };
}

export interface RunningTestProxy {
  readonly proxy: Proxy;
  readonly port: number;
  readonly url: string;
  readonly reports: ProxyReport[];
}

/** The proxy in front of `upstream`, on port 0; reports are collected in order. */
export async function startTestProxy(
  upstream: URL,
  cleanup: Cleanup,
  options: Partial<ProxyOptions> = {},
): Promise<RunningTestProxy> {
  const reports: ProxyReport[] = [];
  const proxy = createProxy({ upstream, report: (report) => reports.push(report), ...options });
  const server = await startProxyServer(0, proxy);
  cleanup(() => server.stop());
  return { proxy, port: server.port, url: server.url, reports };
}

/** A strict reading of a chunked body: its payload, and whether it ended; throws at a framing fault. */
export function dechunk(body: Buffer): { payload: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) return { payload: Buffer.concat(parts), complete: false };
    const line = body.subarray(at, lineEnd).toString('latin1');
    if (!/^[0-9a-fA-F]+(;[\x20-\x7e]*)?$/.test(line)) throw new Error(`bad chunk size line ${JSON.stringify(line)}`);
    const size = Number.parseInt(line, 16);
    if (size === 0) {
      if (body.subarray(lineEnd + 2).toString('latin1') !== '\r\n') throw new Error('bad last chunk');
      return { payload: Buffer.concat(parts), complete: true };
    }
    const dataEnd = lineEnd + 2 + size;
    if (body.length < dataEnd + 2) {
      parts.push(body.subarray(lineEnd + 2, Math.min(body.length, dataEnd)));
      return { payload: Buffer.concat(parts), complete: false };
    }
    if (body.subarray(dataEnd, dataEnd + 2).toString('latin1') !== '\r\n') throw new Error('chunk data without CRLF');
    parts.push(body.subarray(lineEnd + 2, dataEnd));
    at = dataEnd + 2;
  }
}
