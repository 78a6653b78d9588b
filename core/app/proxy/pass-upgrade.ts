import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { showLine as printable } from '../../terminal/terminal-text.js';
import { hostProblem, parseTarget } from '../../index.js';
import { upstreamRequestHeaders } from './forward-headers.js';
import { endToEndHeaders } from './hop-by-hop.js';
import { checkProxyAccess, withoutTokenParam } from './proxy-access.js';
import { describeUpstreamFailure } from './upstream-failure.js';
import type { ProxyReport } from './types.js';

export interface UpgradeParts {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly upstream: URL;
  readonly send: (options: RequestOptions) => ClientRequest;
  readonly token: string | undefined;
  readonly listenHost: string;
  readonly report: (report: ProxyReport) => void;
  /** Sockets that outlive their HTTP request: the proxy destroys them when it stops. */
  readonly track: (socket: Duplex) => void;
}

function refuse(socket: Duplex, status: string, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A response head as bytes: node:http reads header bytes as latin1, so they go back the same way. */
function headBlock(statusLine: string, raw: readonly string[]): Buffer {
  const lines = [statusLine];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${raw[i] ?? ''}: ${raw[i + 1] ?? ''}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
A WebSocket (or other Upgrade) request is passed through: the handshake goes to the
upstream, and once it answers 101 the two sockets are joined byte for byte. Dev
servers use this for hot reload, so the app keeps working behind the proxy. The
proxy does not look inside upgraded connections.
*/
export function passUpgrade(parts: UpgradeParts): void {
  const { req, socket, head, upstream } = parts;
  const path = printable(req.url ?? '/', 200);
  socket.on('error', () => socket.destroy());
  parts.track(socket);
  const target = parseTarget(req.url);
  if (!target.pathname.startsWith('/')) {
    refuse(socket, '400 Bad Request', 'sse-console proxy: the request target must be a path starting with "/"');
    return;
  }
  const badHost = hostProblem(req, parts.listenHost);
  if (badHost !== undefined) {
    refuse(socket, '403 Forbidden', `sse-console proxy: ${badHost}`);
    parts.report({ type: 'upgrade', path, outcome: `refused 403: ${badHost}` });
    return;
  }
  const access = checkProxyAccess(req, target.query, parts.token);
  if (!access.ok) {
    refuse(socket, '401 Unauthorized', `sse-console proxy: ${access.problem}`);
    parts.report({ type: 'upgrade', path, outcome: 'refused 401 (no --token)' });
    return;
  }
  const headers = upstreamRequestHeaders(req, upstream, parts.token !== undefined);
  headers.push('Connection', 'Upgrade', 'Upgrade', req.headers.upgrade ?? 'websocket');
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const upstreamReq = parts.send({
    hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
    port: upstream.port === '' ? (upstream.protocol === 'https:' ? 443 : 80) : Number(upstream.port),
    method: req.method ?? 'GET',
    path: `${basePath}${withoutTokenParam(target.pathname, target.raw.slice(target.pathname.length + 1))}`,
    headers,
  });
  upstreamReq.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
    socket.write(
      headBlock(`HTTP/1.1 101 ${upstreamRes.statusMessage ?? 'Switching Protocols'}`, upstreamRes.rawHeaders),
    );
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    parts.track(upstreamSocket);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('close', () => upstreamSocket.destroy());
    upstreamSocket.on('close', () => socket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
    parts.report({ type: 'upgrade', path, outcome: `passed through (${req.headers.upgrade ?? 'upgrade'})` });
  });
  upstreamReq.on('response', (upstreamRes) => {
    // The upstream declined the upgrade: its answer goes back, framed anew. node:http
    // has already taken a chunked body apart, so the body is written as it is decoded,
    // ended by closing the connection: Transfer-Encoding and the other hop-by-hop
    // headers describe the upstream's hop, not this one.
    socket.write(
      headBlock(`HTTP/1.1 ${upstreamRes.statusCode ?? 502} ${upstreamRes.statusMessage ?? ''}`, [
        ...endToEndHeaders(upstreamRes.rawHeaders),
        'Connection',
        'close',
      ]),
    );
    upstreamRes.pipe(socket);
    parts.report({ type: 'upgrade', path, outcome: `declined by upstream (${upstreamRes.statusCode ?? 502})` });
  });
  upstreamReq.on('error', (error) => {
    const problem = describeUpstreamFailure(error, upstream);
    refuse(socket, '502 Bad Gateway', `sse-console proxy: the upgrade failed: ${problem}`);
    parts.report({ type: 'upgrade', path, outcome: `502: ${problem}` });
  });
  upstreamReq.end();
}
