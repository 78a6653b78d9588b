import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PAGES } from '../../../../core/app/pages/page-list.js';
import { startPageServer } from '../../../../core/app/pages/page-server.js';
import type { PageRequestEntry, PageServer, PageServerOptions } from '../../../../core/app/pages/page-server.js';
import { createSse } from '../../../../core/stream/create-sse.js';
import type { Sse } from '../../../../core/stream/types.js';
import { fetchRaw, readStream, waitFor } from './http-helpers.js';
import type { StreamReader } from './http-helpers.js';

const FIXED_SSE_URL = 'http://127.0.0.1:8122/events';

let sse: Sse | undefined;
let pages: PageServer | undefined;
let streamServer: Server | undefined;
let blocker: Server | undefined;
const readers: StreamReader[] = [];

afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await pages?.stop();
  pages = undefined;
  sse?.stop();
  sse = undefined;
  for (const server of [streamServer, blocker]) {
    if (server === undefined) continue;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  streamServer = undefined;
  blocker = undefined;
});

/** A page server on port 0 next to a real stream (served by its own node:http server). */
async function start(
  options: Partial<Omit<PageServerOptions, 'sse'>> = {},
): Promise<{ pages: PageServer; sseUrl: string }> {
  const stream = createSse({ heartbeatMs: 0 });
  sse = stream;
  streamServer = createServer((req, res) => void stream.handle(req, res));
  await new Promise<void>((resolve) => streamServer?.listen(0, '127.0.0.1', resolve));
  const sseUrl = `http://127.0.0.1:${(streamServer.address() as AddressInfo).port}/events`;
  pages = await startPageServer({ port: 0, sse: stream, sseUrl, ...options });
  return { pages, sseUrl };
}

function expectHtmlHeaders(headers: Record<string, unknown>, sseOrigin: string): void {
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  expect(headers['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self'; " +
      `connect-src 'self' ${sseOrigin}; img-src 'self' data:; object-src 'none'; ` +
      "base-uri 'none'; frame-ancestors 'none'",
  );
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('startPageServer: what it returns', () => {
  it('reports its port, host, url and the page list', async () => {
    const { pages: server } = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.requestedPort).toBe(0);
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.pages).toBe(PAGES);
    expect(server.server.listening).toBe(true);
  });

  it('stops: the port refuses connections, and a second stop() resolves too', async () => {
    const { pages: server } = await start();
    // An idle keep-alive socket must not hold stop() open.
    const keepAlive = await fetchRaw(server.url, '/config.json', { headers: { Connection: 'keep-alive' } });
    expect(keepAlive.status).toBe(200);
    await server.stop();
    await server.stop();
    expect(server.server.listening).toBe(false);
    await expect(fetchRaw(server.url, '/')).rejects.toThrow();
  });

  it('moves to the next free port when asked and the port is busy', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    const { pages: server } = await start({ port: busy, portFallback: true });
    expect(server.requestedPort).toBe(busy);
    expect(server.port).not.toBe(busy);
    expect((await fetchRaw(server.url, '/')).status).toBe(200);
  });

  it('fails on a busy port without fallback', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    await expect(start({ port: busy, portFallback: false })).rejects.toThrow();
  });
});

describe('startPageServer: pages', () => {
  it('serves the index at / with a strict CSP, nosniff and no-referrer', async () => {
    const { pages: server, sseUrl } = await start();
    const response = await fetchRaw(server.url, '/');
    expect(response.status).toBe(200);
    expectHtmlHeaders(response.headers, new URL(sseUrl).origin);
    expect(response.body).toContain('<title>sse-console demos</title>');
  });

  it('serves /index and /index.html as the index too', async () => {
    const { pages: server } = await start();
    const root = await fetchRaw(server.url, '/');
    for (const path of ['/index', '/index.html']) {
      const response = await fetchRaw(server.url, path);
      expect(response.status, path).toBe(200);
      expect(response.body).toBe(root.body);
    }
  });

  it('serves every demo at /<name> and /<name>.html', async () => {
    const { pages: server, sseUrl } = await start();
    for (const page of PAGES) {
      for (const path of [`/${page.name}`, `/${page.name}.html`]) {
        const response = await fetchRaw(server.url, path);
        expect(response.status, path).toBe(200);
        expectHtmlHeaders(response.headers, new URL(sseUrl).origin);
        expect(response.body).toContain(`/assets/${page.name}.js`);
      }
    }
  });

  it('puts the stream origin in connect-src', async () => {
    const { pages: server } = await start({ sseUrl: FIXED_SSE_URL });
    const response = await fetchRaw(server.url, '/textarea');
    expect(response.headers['content-security-policy']).toContain("connect-src 'self' http://127.0.0.1:8122;");
  });

  it("keeps connect-src to 'self' when the stream URL is relative (same origin)", async () => {
    const { pages: server } = await start({ sseUrl: '/events' });
    const response = await fetchRaw(server.url, '/clock');
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'; ");
  });

  it('answers HEAD with the headers and no body', async () => {
    const { pages: server } = await start();
    const response = await fetchRaw(server.url, '/textarea', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
    expect(response.body).toBe('');
  });
});

describe('startPageServer: assets', () => {
  it('serves files from demo-pages/assets with their content types', async () => {
    const { pages: server } = await start();
    const expected: Record<string, string> = {
      '/assets/demo.css': 'text/css; charset=utf-8',
      '/assets/sse-demo.js': 'text/javascript; charset=utf-8',
      '/assets/favicon.svg': 'image/svg+xml',
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await fetchRaw(server.url, path);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toBe(type);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers 404 for missing files, the directory itself and dotfiles', async () => {
    const { pages: server } = await start();
    for (const path of ['/assets/missing.js', '/assets/', '/assets', '/assets/.hidden', '/assets/%ZZ']) {
      expect((await fetchRaw(server.url, path)).status, path).toBe(404);
    }
  });

  it('never serves a file outside demo-pages/assets, however the path is spelled', async () => {
    const { pages: server } = await start();
    const attempts = [
      '/assets/../../package.json',
      '/assets/../index.html',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/%2E%2E/%2E%2E/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/%2e%2e%5c%2e%2e%5cpackage.json',
      '/assets/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/%252e%252e/%252e%252e/package.json',
      '/assets/demo.css%00.js',
      '/%2e%2e/package.json',
    ];
    for (const path of attempts) {
      const response = await fetchRaw(server.url, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('"name": "sse-console"');
      expect(response.body, path).not.toContain('root:');
    }
  });
});

describe('startPageServer: /config.json', () => {
  it('tells pages the stream URL and the page list, and no token when none is set', async () => {
    const { pages: server, sseUrl } = await start();
    const response = await fetchRaw(server.url, '/config.json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const config = JSON.parse(response.body) as Record<string, unknown>;
    expect(config).toEqual({
      sseUrl,
      launchCommand: 'sse-console',
      pages: PAGES.map(({ name, title, summary }) => ({ name, title, summary })),
    });
    expect('token' in config).toBe(false);
  });

  it('tells pages the command that started the console, for the commands they offer to copy', async () => {
    const { pages: server } = await start({ launchCommand: 'npm start --' });
    const response = await fetchRaw(server.url, '/config.json');
    expect((JSON.parse(response.body) as { launchCommand?: string }).launchCommand).toBe('npm start --');
  });

  it('hands the token to a loopback client that names a local host', async () => {
    const { pages: server } = await start({ token: 's3cret' });
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      const response = await fetchRaw(server.url, '/config.json', { headers: { Host: host } });
      expect((JSON.parse(response.body) as { token?: string }).token, host).toBe('s3cret');
    }
  });

  it('withholds the token when the Host header names another site (DNS rebinding)', async () => {
    const { pages: server, sseUrl } = await start({ token: 's3cret' });
    const response = await fetchRaw(server.url, '/config.json', {
      headers: { Host: `attacker.example:${server.port}` },
    });
    expect(response.status).toBe(200);
    const config = JSON.parse(response.body) as Record<string, unknown>;
    expect(config.sseUrl).toBe(sseUrl);
    expect('token' in config).toBe(false);
    expect(response.body).not.toContain('s3cret');
  });
});

describe('startPageServer: toggles', () => {
  it('starts with one on and two off', async () => {
    const { pages: server } = await start();
    const response = await fetchRaw(server.url, '/api/toggles');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual({ one: true, two: false });
  });

  it('flips a box on POST, answers the state and broadcasts it as a toggles event without id', async () => {
    const { pages: server, sseUrl } = await start();
    const reader = readStream(sseUrl);
    readers.push(reader);
    await waitFor(() => sse?.connections.length === 1, 'the stream client to connect');

    const first = await fetchRaw(server.url, '/api/toggles/one', { method: 'POST' });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ one: false, two: false });
    await waitFor(() => reader.events.length === 1, 'the first toggles event');

    const second = await fetchRaw(server.url, '/api/toggles/two', { method: 'POST' });
    expect(JSON.parse(second.body)).toEqual({ one: false, two: true });
    await waitFor(() => reader.events.length === 2, 'the second toggles event');

    expect(reader.events.map(({ event, data, id }) => ({ event, data: JSON.parse(data) as unknown, id }))).toEqual([
      { event: 'toggles', data: { one: false, two: false }, id: undefined },
      { event: 'toggles', data: { one: false, two: true }, id: undefined },
    ]);
    // Live state, not history: nothing was stored for replay.
    expect(sse?.history).toEqual([]);
    expect(JSON.parse((await fetchRaw(server.url, '/api/toggles')).body)).toEqual({ one: false, two: true });
  });

  it('every client of the stream gets the broadcast', async () => {
    const { pages: server, sseUrl } = await start();
    const tabs = [readStream(sseUrl), readStream(sseUrl)];
    readers.push(...tabs);
    await waitFor(() => sse?.connections.length === 2, 'two stream clients to connect');
    await fetchRaw(server.url, '/api/toggles/one', { method: 'POST' });
    await waitFor(() => tabs.every((tab) => tab.events.length === 1), 'the event in both tabs');
    for (const tab of tabs) expect(tab.events[0]?.data).toBe('{"one":false,"two":false}');
  });

  it('needs the token on POST when one is set: 401 without or wrong, 200 with', async () => {
    const { pages: server } = await start({ token: 's3cret' });
    const missing = await fetchRaw(server.url, '/api/toggles/one', { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="sse-console"');
    expect((JSON.parse(missing.body) as { error: string }).error).toMatch(/Authorization: Bearer/);

    const wrong = await fetchRaw(server.url, '/api/toggles/one', {
      method: 'POST',
      headers: { Authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const wrongQuery = await fetchRaw(server.url, '/api/toggles/one?token=s3cre', { method: 'POST' });
    expect(wrongQuery.status).toBe(401);
    expect(JSON.parse((await fetchRaw(server.url, '/api/toggles')).body)).toEqual({ one: true, two: false });

    const bearer = await fetchRaw(server.url, '/api/toggles/one', {
      method: 'POST',
      headers: { Authorization: 'Bearer s3cret' },
    });
    expect(bearer.status).toBe(200);
    expect(JSON.parse(bearer.body)).toEqual({ one: false, two: false });

    const query = await fetchRaw(server.url, '/api/toggles/two?token=s3cret', { method: 'POST' });
    expect(query.status).toBe(200);
    expect(JSON.parse(query.body)).toEqual({ one: false, two: true });
  });

  it('lets anyone read the toggles even with a token set', async () => {
    const { pages: server } = await start({ token: 's3cret' });
    expect((await fetchRaw(server.url, '/api/toggles')).status).toBe(200);
  });
});

describe('startPageServer: methods and unknown paths', () => {
  it('answers 405 with Allow for a method a known path does not take', async () => {
    const { pages: server } = await start();
    const cases: [string, string, string][] = [
      ['POST', '/', 'GET, HEAD'],
      ['PUT', '/textarea', 'GET, HEAD'],
      ['DELETE', '/assets/demo.css', 'GET, HEAD'],
      ['POST', '/config.json', 'GET, HEAD'],
      ['POST', '/api/toggles', 'GET, HEAD'],
      ['GET', '/api/toggles/one', 'POST'],
      ['PUT', '/api/toggles/two', 'POST'],
      ['OPTIONS', '/', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await fetchRaw(server.url, path, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.allow, `${method} ${path}`).toBe(allow);
      expect(response.body).toContain(method);
    }
  });

  it('answers 404 for unknown paths, whatever the method', async () => {
    const { pages: server } = await start();
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/textarea/'],
      ['GET', '/TEXTAREA'],
      ['POST', '/api/toggles/three'],
      ['GET', '/events'],
      ['DELETE', '/nope'],
    ] as const) {
      const response = await fetchRaw(server.url, path, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers an absolute-form request target (as proxies send) by its path', async () => {
    const { pages: server } = await start();
    expect((await fetchRaw(server.url, 'http://elsewhere.example/clock')).status).toBe(200);
    expect((await fetchRaw(server.url, 'http://elsewhere.example/nope')).status).toBe(404);
  });
});

describe('startPageServer: onRequest', () => {
  it('reports each request with its method, path, status and remote address, token redacted', async () => {
    const entries: PageRequestEntry[] = [];
    const { pages: server } = await start({ token: 's3cret', onRequest: (entry) => entries.push(entry) });
    await fetchRaw(server.url, '/clock');
    await fetchRaw(server.url, '/api/toggles/one', { method: 'POST' });
    await fetchRaw(server.url, '/api/toggles/one?token=s3cret&x=1', { method: 'POST' });
    await fetchRaw(server.url, '/nope');
    await waitFor(() => entries.length === 4, 'four request entries');
    expect(entries).toEqual([
      { method: 'GET', path: '/clock', status: 200, remoteAddress: '127.0.0.1' },
      { method: 'POST', path: '/api/toggles/one', status: 401, remoteAddress: '127.0.0.1' },
      { method: 'POST', path: '/api/toggles/one?token=***&x=1', status: 200, remoteAddress: '127.0.0.1' },
      { method: 'GET', path: '/nope', status: 404, remoteAddress: '127.0.0.1' },
    ]);
  });

  it('keeps serving when the callback throws', async () => {
    const { pages: server } = await start({
      onRequest: () => {
        throw new Error('logger broke');
      },
    });
    expect((await fetchRaw(server.url, '/')).status).toBe(200);
    expect((await fetchRaw(server.url, '/clock')).status).toBe(200);
  });
});

describe('startPageServer: slow clients', () => {
  it('cuts off a client that sends its headers a byte at a time, past the headers timeout (408)', async () => {
    const { pages: server } = await start({
      headersTimeoutMs: 300,
      requestTimeoutMs: 300,
      connectionsCheckingIntervalMs: 100,
    });
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const request = 'GET /textarea HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(200);
    let index = 0;
    const drip = setInterval(() => {
      if (index < request.length && !socket.destroyed) socket.write(request[index++] ?? '');
    }, 20);
    try {
      await closed;
    } finally {
      clearInterval(drip);
    }
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(index).toBeLessThan(request.length);
    const normal = await fetchRaw(server.url, '/config.json');
    expect(normal.status).toBe(200);
  });
});
