import { describe, expect, it } from 'vitest';
import type { ConnectAnswer } from '../../../core/stream/types.js';
import { fetchOnce, openEventSource, openRawStream, startTestStream, useCleanup, waitFor } from '../stream/support.js';

const cleanup = useCleanup();

describe('stream responses', () => {
  it('sends the event-stream headers at once', async () => {
    const { sse, port } = await startTestStream(cleanup);
    const client = openRawStream(port, { path: '/events', cleanup });
    await client.until((s) => s.status !== undefined, 'the headers');
    expect(client.status).toBe(200);
    expect(client.headers).toMatchObject({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
      'transfer-encoding': 'chunked',
    });
    expect(client.headers['access-control-allow-origin']).toBeUndefined();
    expect(client.headers['content-length']).toBeUndefined();
    expect(sse.connections).toHaveLength(1);
  });

  it('answers HEAD with the stream headers and no body, and keeps no connection', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    const answer = await fetchOnce(port, { method: 'HEAD', path: '/events' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/event-stream');
    expect(answer.headers['cache-control']).toBe('no-cache, no-transform');
    expect(answer.body).toBe('');
    expect(sse.connections).toEqual([]);
    expect(of('connected')).toEqual([]);
  });

  it('answers a CORS preflight', async () => {
    const { port } = await startTestStream(cleanup, { corsOrigins: ['http://127.0.0.1:8080'] });
    const answer = await fetchOnce(port, {
      method: 'OPTIONS',
      path: '/events',
      headers: { Origin: 'http://127.0.0.1:8080', 'Access-Control-Request-Headers': 'last-event-id' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': 'http://127.0.0.1:8080',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'Last-Event-ID, Authorization, Cache-Control',
      allow: 'GET, HEAD, OPTIONS',
      vary: 'Origin',
    });
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow', async (method) => {
    const { port, of } = await startTestStream(cleanup);
    const answer = await fetchOnce(port, { method, path: '/events' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(answer.body).toContain(`${method} is not allowed here`);
    expect(of('refused')).toMatchObject([{ status: 405, reason: `method ${method} not allowed` }]);
  });

  it('serves / and /events, and answers other paths 404 naming those two', async () => {
    const { sse, port } = await startTestStream(cleanup);
    for (const path of ['/', '/events', '/events?lastEventId=1']) {
      const client = openRawStream(port, { path, cleanup });
      await client.until((s) => s.status === 200, `a stream on ${path}`);
    }
    expect(sse.connections).toHaveLength(3);
    const missing = await fetchOnce(port, { path: '/nope?x=1' });
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('Not found: /nope. The event stream is served at / and /events.\n');
  });
});

describe('CORS', () => {
  it('echoes an allowed origin and varies on Origin', async () => {
    const { port } = await startTestStream(cleanup, {
      corsOrigins: ['http://127.0.0.1:8080', 'http://localhost:8080'],
    });
    const client = openRawStream(port, { headers: { Origin: 'http://localhost:8080' }, cleanup });
    await client.until((s) => s.status === 200, 'the stream');
    expect(client.headers['access-control-allow-origin']).toBe('http://localhost:8080');
    expect(client.headers.vary).toBe('Origin');
  });

  it('refuses a denied origin with 403, reported, without the allow header', async () => {
    const stream = await startTestStream(cleanup, { corsOrigins: ['http://127.0.0.1:8080'] });
    const answer = await fetchOnce(stream.port, { headers: { Origin: 'http://evil.example' } });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/Origin "http:\/\/evil.example" may not read this event stream/);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(stream.sse.connections).toHaveLength(0);
    expect(stream.of('refused').map((e) => [e.status, e.reason])).toEqual([
      [403, 'origin "http://evil.example" not allowed'],
    ]);
  });

  it('serves a same-origin request whose Origin names its own host', async () => {
    const stream = await startTestStream(cleanup, { corsOrigins: ['http://127.0.0.1:8080'] });
    const client = openRawStream(stream.port, { headers: { Origin: `http://127.0.0.1:${stream.port}` }, cleanup });
    await client.until((s) => s.status === 200, 'the stream');
  });

  it('without CORS configured, serves any Origin (the browser enforces same-origin)', async () => {
    const stream = await startTestStream(cleanup);
    const client = openRawStream(stream.port, { headers: { Origin: 'http://elsewhere.example' }, cleanup });
    await client.until((s) => s.status === 200, 'the stream');
    expect(client.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("'*' allows any origin, echoing it", async () => {
    const { port } = await startTestStream(cleanup, { corsOrigins: '*' });
    const answer = await fetchOnce(port, { method: 'HEAD', headers: { Origin: 'http://anything.test:1234' } });
    expect(answer.headers['access-control-allow-origin']).toBe('http://anything.test:1234');
  });

  it('reads the allowed list live, so origins can be added after creation', async () => {
    const origins: string[] = [];
    const { port } = await startTestStream(cleanup, { corsOrigins: origins });
    const before = await fetchOnce(port, { method: 'HEAD', headers: { Origin: 'http://127.0.0.1:9000' } });
    origins.push('http://127.0.0.1:9000');
    const after = await fetchOnce(port, { method: 'HEAD', headers: { Origin: 'http://127.0.0.1:9000' } });
    expect(before.headers['access-control-allow-origin']).toBeUndefined();
    expect(after.headers['access-control-allow-origin']).toBe('http://127.0.0.1:9000');
  });
});

describe('token', () => {
  it.each([
    ['no token', {}, 'missing token'],
    ['a wrong query token', { path: '/events?token=guess' }, 'wrong token'],
    ['a wrong bearer token', { headers: { Authorization: 'Bearer guess' } }, 'wrong token'],
    ['another scheme', { headers: { Authorization: 'Basic czNjcmV0' } }, 'missing token'],
  ])('refuses %s with 401', async (_name, request, reason) => {
    const { sse, port, of } = await startTestStream(cleanup, { token: 's3cret' });
    const answer = await fetchOnce(port, { path: '/events', ...request });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(answer.body).toContain(reason);
    expect(answer.body).toContain('?token=TOKEN');
    expect(answer.body).not.toContain('s3cret');
    expect(of('refused')).toMatchObject([{ status: 401, reason }]);
    expect(sse.connections).toEqual([]);
  });

  it.each([
    ['?token=', { path: '/events?token=s3cret' }],
    ['Authorization: Bearer', { headers: { Authorization: 'Bearer s3cret' } }],
  ])('streams with the right token in %s', async (_name, request) => {
    const { sse, port } = await startTestStream(cleanup, { token: 's3cret' });
    const client = openRawStream(port, { ...request, cleanup });
    await client.until((s) => s.status === 200, 'the stream');
    expect(sse.connections).toHaveLength(1);
  });
});

describe('maxConnections', () => {
  it('answers 503 past the limit and accepts again once a connection leaves', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { maxConnections: 1 });
    const first = openRawStream(port, { cleanup });
    await first.until((s) => s.status === 200, 'the first stream');
    const refused = await fetchOnce(port);
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('already has 1 connections, its limit');
    expect(of('refused')).toMatchObject([{ status: 503, reason: 'too many connections (limit 1)' }]);
    first.close();
    await waitFor(() => sse.connections.length === 0, 'the first stream to go');
    const second = openRawStream(port, { cleanup });
    await second.until((s) => s.status === 200, 'the second stream');
  });
});

describe('onConnect', () => {
  it('answers another status with its headers and body, and reports the refusal', async () => {
    const { sse, port, of } = await startTestStream(cleanup, {
      onConnect: () => ({ status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="demo"' }, body: 'who are you?' }),
    });
    const answer = await fetchOnce(port, { path: '/events' });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="demo"');
    expect(answer.body).toBe('who are you?\n');
    expect(of('refused')).toMatchObject([{ status: 401, reason: 'onConnect answered 401', path: '/events' }]);
    expect(sse.connections).toEqual([]);
  });

  it('204 tells an EventSource to stop reconnecting', async () => {
    const { server, of } = await startTestStream(cleanup, { onConnect: () => ({ status: 204 }), retryMs: 10 });
    const client = openEventSource(`${server.url}events`, cleanup);
    await waitFor(() => client.source.readyState === client.source.CLOSED, 'the client to give up');
    expect(client.opened).toBe(0);
    expect(of('refused')).toMatchObject([{ status: 204 }]);
  });

  it('streams with extra headers on 200, sync or async, and can be replaced at run time', async () => {
    const { sse, port, of } = await startTestStream(cleanup, {
      onConnect: async () => ({ status: 200, headers: { 'X-Demo': 'async' } }),
    });
    const first = openRawStream(port, { cleanup });
    await first.until((s) => s.status === 200, 'the first stream');
    expect(first.headers['x-demo']).toBe('async');
    expect(first.headers['content-type']).toBe('text/event-stream');

    let answer: ConnectAnswer = { status: 500, body: 'teaching a 500' };
    sse.setOnConnect(() => answer);
    const refused = await fetchOnce(port);
    expect(refused.status).toBe(500);
    expect(refused.body).toBe('teaching a 500\n');
    answer = { status: 200 };
    const second = openRawStream(port, { cleanup });
    await second.until((s) => s.status === 200, 'the second stream');

    sse.setOnConnect(undefined);
    const third = openRawStream(port, { cleanup });
    await third.until((s) => s.status === 200, 'the third stream');
    expect(third.headers['x-demo']).toBeUndefined();
    expect(sse.connections).toHaveLength(3);
    expect(of('refused')).toHaveLength(1);
  });

  it('answers 500 when the hook throws, rejects or answers nonsense, and keeps serving', async () => {
    const hooks = [
      () => {
        throw new Error('boom');
      },
      () => Promise.reject(new Error('async boom')),
      () => ({ status: 42 }) as never,
      () => ({ status: 403, headers: { 'Bad\nHeader': 'x' } }),
    ];
    const { sse, port, of } = await startTestStream(cleanup);
    for (const hook of hooks) {
      sse.setOnConnect(hook);
      const answer = await fetchOnce(port);
      expect(answer.status).toBe(500);
    }
    expect(of('refused').map((event) => event.reason)).toEqual([
      'onConnect hook failed: boom',
      'onConnect hook failed: async boom',
      expect.stringContaining('onConnect must return nothing (stream) or { status: 200..599'),
      expect.stringContaining('onConnect answer could not be sent'),
    ]);
    sse.setOnConnect(undefined);
    const client = openRawStream(port, { cleanup });
    await client.until((s) => s.status === 200, 'a stream after the failures');
  });

  it('forgets a request whose client leaves while an async hook decides', async () => {
    const pending: Array<{ release: () => void; socketClosed: boolean }> = [];
    const { sse, port, of } = await startTestStream(cleanup, {
      onConnect: (req) =>
        new Promise<void>((resolve) => {
          const call = { release: resolve, socketClosed: false };
          req.socket.once('close', () => (call.socketClosed = true));
          pending.push(call);
        }),
    });
    const leaving = openRawStream(port, { cleanup });
    const first = await waitFor(() => pending[0], 'the hook to be called');
    leaving.close();
    await waitFor(() => first.socketClosed, 'the server to see the client leave');
    first.release();

    const staying = openRawStream(port, { cleanup });
    const second = await waitFor(() => pending[1], 'the hook to be called again');
    second.release();
    await staying.until((s) => s.status === 200, 'the second stream');
    expect(sse.connections).toHaveLength(1);
    expect(of('connected')).toHaveLength(1);
    expect(of('refused')).toEqual([]);
  });
});
