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
      await exchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sse_console_token_${port}=t\r\n\r\n`);
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

  it("passes an app's declined upgrade (a chunked 403) framed as it is sent: no Transfer-Encoding over a decoded body", async () => {
    const upstream = await startUpstream((_req, res) => res.end(), cleanup);
    upstream.server.on('upgrade', (_req, socket) => {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nno hmr \r\n4\r\nhere\r\n0\r\n\r\n',
      );
    });
    const { port } = await startTestProxy(upstream.url, cleanup);
    const answer = await exchange(
      port,
      `GET /hmr HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect(answer.status).toBe(403);
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(answer.headers['connection']).toBe('close');
    expect(answer.closedByServer).toBe(true);
    expect(answer.body).toBe('no hmr here');
  });

  it('answers 502 at once, saying what happened, when the app answers 101 to a request that asked for no upgrade', async () => {
    const app = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () =>
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'),
      );
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise((resolve) => app.close(resolve)));
    const address = app.address();
    const appPort = typeof address === 'object' && address !== null ? address.port : 0;
    // The timeout is far beyond the exchange's: a 504 after it would fail the test by time.
    const { port, reports } = await startTestProxy(new URL(`http://127.0.0.1:${appPort}/`), cleanup, {
      upstreamTimeoutMs: 60_000,
    });
    const answer = await exchange(port, `GET /page HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, {
      timeoutMs: 5000,
    });
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('answered 101 Switching Protocols (switching protocols) to GET /page');
    const logged = reports.find((report) => report.type === 'request');
    expect(logged?.type === 'request' && logged.request.status).toBe(502);
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
    expect(first.headers['set-cookie']).toBe(`sse_console_token_${port}=tok-123; Path=/; HttpOnly; SameSite=Strict`);
    expect(upstream.requests[0]?.req.url).toBe('/?a=1');

    const later = await exchange(
      port,
      `GET /next HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: app=1; sse_console_token_${port}=tok-123; sse_console_token_9=other\r\n\r\n`,
    );
    expect(later.status).toBe(200);
    // Every proxy's token cookie is kept from the app, whichever port it belongs to.
    expect(upstream.requests[1]?.req.headers.cookie).toBe('app=1');
  });

  it("the cookie counts only on the proxy's own port and from its own pages, not from a page on another local port", async () => {
    const upstream = await startUpstream((_req, res) => res.end('app'), cleanup);
    const { port } = await startTestProxy(upstream.url, cleanup, { token: 'tok-123' });
    const ask = (headers: string) => exchange(port, `GET /data HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}\r\n`);
    const cookie = `Cookie: sse_console_token_${port}=tok-123\r\n`;
    // What a browser sends for the proxy's own page, for a typed URL, for curl.
    expect((await ask(`${cookie}Sec-Fetch-Site: same-origin\r\nOrigin: http://127.0.0.1:${port}\r\n`)).status).toBe(
      200,
    );
    expect((await ask(`${cookie}Sec-Fetch-Site: none\r\n`)).status).toBe(200);
    expect((await ask(cookie)).status).toBe(200);
    // A page on another 127.0.0.1 port: same-site for cookies, another origin.
    const fromOtherPort = await ask(`${cookie}Sec-Fetch-Site: same-site\r\n`);
    expect(fromOtherPort.status).toBe(401);
    expect(fromOtherPort.body).toContain('Sec-Fetch-Site: same-site');
    const withOrigin = await ask(`${cookie}Origin: http://127.0.0.1:${port + 1}\r\n`);
    expect(withOrigin.status).toBe(401);
    expect(withOrigin.body).toContain(`the page at http://127.0.0.1:${port + 1}`);
    expect((await ask(`${cookie}Sec-Fetch-Site: cross-site\r\n`)).status).toBe(401);
    // The cookie of a proxy on another port (the one a page on that port could have) does not count here.
    expect((await ask(`Cookie: sse_console_token_${port + 1}=tok-123\r\n`)).status).toBe(401);
    expect(upstream.requests).toHaveLength(3);
  });
});
