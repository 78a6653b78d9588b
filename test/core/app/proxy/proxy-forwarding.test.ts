import { request } from 'node:http';
import { createServer as createNetServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { exchange } from '../../../reliability/support/raw-http.js';
import { useCleanup, waitFor } from '../../../support/wait.js';
import { startTestProxy, startUpstream } from './support.js';

const cleanup = useCleanup();

describe('forwarding through the proxy', () => {
  it('passes method, path, query, body and end-to-end headers; rewrites Host; adds X-Forwarded-*; drops hop-by-hop headers', async () => {
    const upstream = await startUpstream((_req, res, body) => {
      res.writeHead(201, 'Made', [
        'Content-Type',
        'application/json',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'Connection',
        'X-Upstream-Hop',
        'X-Upstream-Hop',
        'secret',
        'Keep-Alive',
        'timeout=77',
        'X-App',
        'yes',
      ]);
      res.end(JSON.stringify({ body }));
    }, cleanup);
    const { port } = await startTestProxy(upstream.url, cleanup);
    const body = 'name=value&x=1';
    const answer = await exchange(
      port,
      [
        'POST /api/save?x=1&y=two HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${body.length}`,
        'Connection: keep-alive, X-Browser-Hop',
        'X-Browser-Hop: drop me',
        'Keep-Alive: timeout=9',
        'Proxy-Authorization: Basic abc',
        'TE: trailers',
        'X-Forwarded-For: 10.0.0.7',
        'Authorization: Bearer app-token',
        'X-Custom: kept',
        '',
        body,
      ].join('\r\n'),
    );
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({ body });
    expect(answer.headers['x-app']).toBe('yes');
    expect(answer.headers['x-upstream-hop']).toBeUndefined();
    expect(answer.headers['keep-alive']).not.toBe('timeout=77');

    const seen = upstream.requests[0];
    expect(seen?.req.method).toBe('POST');
    expect(seen?.req.url).toBe('/api/save?x=1&y=two');
    expect(seen?.body).toBe(body);
    const headers = seen?.req.headers ?? {};
    expect(headers.host).toBe(upstream.url.host);
    expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-for']).toBe('10.0.0.7, 127.0.0.1');
    expect(headers.authorization).toBe('Bearer app-token');
    expect(headers['x-custom']).toBe('kept');
    expect(headers['x-browser-hop']).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers.te).toBeUndefined();
    expect(headers['keep-alive']).toBeUndefined();
  });

  it('forwards the request target byte for byte (a path starting "//", the query encoding as sent)', async () => {
    const upstream = await startUpstream((_req, res) => res.end('ok'), cleanup);
    const { port } = await startTestProxy(upstream.url, cleanup, { token: 't' });
    for (const target of ['//events?b=%20&c=+&d=%2B', '/a%2Fb?sse-console-token=t&q=%7E']) {
      await exchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sse_console_token=t\r\n\r\n`);
    }
    expect(upstream.requests.map((seen) => seen.req.url)).toEqual(['//events?b=%20&c=+&d=%2B', '/a%2Fb?q=%7E']);
  });

  it('keeps duplicate response headers (two Set-Cookie stay two)', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Type', 'text/plain']);
      res.end('ok');
    }, cleanup);
    const { port } = await startTestProxy(upstream.url, cleanup);
    const cookies = await new Promise<string[] | undefined>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.resume();
        resolve(res.headers['set-cookie']);
      })
        .on('error', reject)
        .end();
    });
    expect(cookies).toEqual(['a=1', 'b=2']);
  });

  it('answers 502 with the reason when the upstream refuses the connection, and reports it', async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const deadPort = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { port, reports } = await startTestProxy(new URL(`http://127.0.0.1:${deadPort}/`), cleanup);
    const answer = await exchange(port, `GET /page HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(answer.status).toBe(502);
    expect(answer.body).toMatch(/could not connect to 127\.0\.0\.1:\d+/);
    const report = await waitFor(
      () => reports.flatMap((r) => (r.type === 'request' ? [r.request] : []))[0],
      'the request report',
    );
    expect(report.status).toBe(502);
    expect(report.problem).toMatch(/could not connect/);
  });

  it('answers 504 when the upstream accepts but does not answer in time', async () => {
    // A socket that reads the request and never answers.
    const silent = createNetServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const address = silent.address();
    const silentPort = typeof address === 'object' && address !== null ? address.port : 0;
    const { port, reports } = await startTestProxy(new URL(`http://127.0.0.1:${silentPort}/`), cleanup, {
      upstreamTimeoutMs: 200,
    });
    const answer = await exchange(port, `GET /slow HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(answer.status).toBe(504);
    expect(answer.body).toContain('did not answer GET /slow within 0.2s');
    const report = await waitFor(
      () => reports.flatMap((r) => (r.type === 'request' ? [r.request] : []))[0],
      'the request report',
    );
    expect(report.status).toBe(504);
    silent.close();
  });

  it('passes a WebSocket upgrade through: the 101 and the bytes both ways', async () => {
    const upstream = await startUpstream((_req, res) => res.end(), cleanup);
    upstream.server.on('upgrade', (req, socket) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Path: ${req.url ?? ''}\r\n\r\n`,
      );
      socket.on('data', (data: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), data])));
      socket.on('end', () => socket.end());
    });
    const { port } = await startTestProxy(upstream.url, cleanup);
    const socket = connect({ host: '127.0.0.1', port });
    cleanup(() => socket.destroy());
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      received += text;
    });
    socket.write(
      `GET /hmr HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    await waitFor(() => received.includes('\r\n\r\n'), 'the 101 answer');
    expect(received).toMatch(/^HTTP\/1\.1 101 /);
    expect(received).toContain('X-Path: /hmr');
    socket.write('ping');
    await waitFor(() => received.endsWith('echo:ping'), 'the echoed bytes');
  });
});

describe('access', () => {
  it('refuses a Host that is not a local name (DNS rebinding) before asking the app', async () => {
    const upstream = await startUpstream((_req, res) => res.end('app'), cleanup);
    const { port } = await startTestProxy(upstream.url, cleanup);
    const refused = await exchange(port, `GET / HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('refused to stop DNS rebinding');
    expect(upstream.requests).toHaveLength(0);
    const local = await exchange(port, `GET / HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`);
    expect(local.status).toBe(200);
  });
});

describe('--token', () => {
  it('refuses without the token, sets a cookie from ?sse-console-token=, and keeps both out of what the app sees', async () => {
    const upstream = await startUpstream((_req, res) => res.end('app'), cleanup);
    const { port } = await startTestProxy(upstream.url, cleanup, { token: 'tok-123' });
    const refused = await exchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('?sse-console-token=');
    expect(upstream.requests).toHaveLength(0);

    const first = await exchange(
      port,
      `GET /?a=1&sse-console-token=tok-123 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
    );
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBe('sse_console_token=tok-123; Path=/; HttpOnly; SameSite=Strict');
    expect(upstream.requests[0]?.req.url).toBe('/?a=1');

    const later = await exchange(
      port,
      `GET /next HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: app=1; sse_console_token=tok-123\r\n\r\n`,
    );
    expect(later.status).toBe(200);
    expect(upstream.requests[1]?.req.headers.cookie).toBe('app=1');
  });
});
