import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseClient } from '../../../core/client/create-sse-client.js';
import type { SseClient, SseClientOptions } from '../../../core/client/types.js';
import { eventsOf, recordClient } from './support/record-client.js';
import { nullIdValues } from './support/stream-vectors.js';
import { findClosedPort, lastEventIdOf, startTestServer, waitFor, writeStreamHead } from './support/test-server.js';
import type { TestHandler, TestServer } from './support/test-server.js';

const servers: TestServer[] = [];
const clients: SseClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: TestHandler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

/** A recorded client (see support/record-client.ts), closed after each test. */
const connect = (options: Omit<SseClientOptions, `on${string}`>) => recordClient(options, clients);

describe('reconnection', () => {
  it('reconnects after the server ends the body, sending Last-Event-ID, after the retry time', async () => {
    const server = await serve((req, res) => {
      writeStreamHead(res);
      if (lastEventIdOf(req) === undefined) {
        res.end('retry: 50\nid: 7\ndata: first\n\n');
      } else {
        res.write(`data: resumed after ${lastEventIdOf(req) ?? ''}\n\n`);
      }
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 2, 'two events');
    expect(eventsOf(recorded)).toEqual([
      { event: 'message', data: 'first', lastEventId: '7' },
      { event: 'message', data: 'resumed after 7', lastEventId: '7' },
    ]);
    expect(recorded.events[1]?.id).toBeUndefined();
    expect(recorded.retries).toEqual([50]);
    expect(recorded.reconnects).toMatchObject([
      { retryMs: 50, delayMs: 100, attempt: 2, lastEventId: '7', reason: 'the server ended the response' },
    ]);
    expect(recorded.connects.map((info) => [info.attempt, info.lastEventIdSent])).toEqual([
      [1, undefined],
      [2, '7'],
    ]);
    expect(recorded.errors).toEqual([]);
    expect(recorded.client.state).toBe('open');
  });

  it('applies retry: at once, even when the block never completes', async () => {
    const server = await serve((req, res) => {
      writeStreamHead(res);
      if (server.requests.length === 1) res.end('retry: 40\ndata: never dispatched\n');
      else res.write('data: second\n\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 1, 'the event after reconnecting');
    expect(recorded.reconnects.map((info) => info.retryMs)).toEqual([40]);
    expect(recorded.events.map((event) => event.data)).toEqual(['second']);
  });

  it('discards the partial event at EOF and reconnects without Last-Event-ID (format-data-before-final-empty-line)', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry:1000\ndata:test1\n\nid:test\ndata:test2\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 2, 'test1 twice');
    expect(eventsOf(recorded)).toEqual([
      { event: 'message', data: 'test1', lastEventId: '' },
      { event: 'message', data: 'test1', lastEventId: '' },
    ]);
    expect(server.requests[1]?.headers['last-event-id']).toBeUndefined();
  });

  it('resumes with a non-ASCII id over two reconnects (format-field-id, format-field-id-2)', async () => {
    const server = await serve((req, res) => {
      writeStreamHead(res);
      const lastEventId = lastEventIdOf(req);
      res.end(lastEventId === undefined ? 'id: \u2026\nretry: 20\ndata: hello\n\n' : `data: ${lastEventId}\n\n`);
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 3, 'hello and two resumed events');
    expect(eventsOf(recorded)).toEqual([
      { event: 'message', data: 'hello', lastEventId: '\u2026' },
      { event: 'message', data: '\u2026', lastEventId: '\u2026' },
      { event: 'message', data: '\u2026', lastEventId: '\u2026' },
    ]);
    expect(server.requests.slice(1, 3).map(lastEventIdOf)).toEqual(['\u2026', '\u2026']);
  });

  for (const idValue of nullIdValues) {
    it(`ignores id ${JSON.stringify(idValue)} and reconnects without Last-Event-ID (format-field-id-null)`, async () => {
      const server = await serve((_req, res) => {
        writeStreamHead(res);
        res.end(`id: ${idValue}\nretry: 20\ndata: hello\n\n`);
      });
      const recorded = connect({ url: server.url });
      await waitFor(() => recorded.events.length === 2 && server.requests.length >= 2, 'hello twice');
      expect(eventsOf(recorded).slice(0, 2)).toEqual([
        { event: 'message', data: 'hello', lastEventId: '' },
        { event: 'message', data: 'hello', lastEventId: '' },
      ]);
      expect(server.requests[1]?.headers['last-event-id']).toBeUndefined();
    });
  }

  it('reconnects after the connection drops mid-stream, and reports why', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      if (server.requests.length === 1) {
        res.write('retry: 20\nid: 3\ndata: before the drop\n\n', () => res.destroy());
      } else {
        res.write('data: after\n\n');
      }
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.events.length === 2, 'an event on each side of the drop');
    expect(recorded.errors).toMatchObject([{ kind: 'network', fatal: false }]);
    expect(recorded.errors[0]?.message).toContain('dropped mid-stream');
    expect(recorded.reconnects[0]?.lastEventId).toBe('3');
    expect(lastEventIdOf(server.requests[1]!)).toBe('3');
  });

  it('does not reconnect when reconnecting is off: a clean end closes with "ended"', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 10\ndata: only\n\n');
    });
    const recorded = connect({ url: server.url, reconnect: false });
    const info = await recorded.client.closed;
    expect(info.reason).toBe('ended');
    expect(recorded.closes).toEqual([info]);
    expect(recorded.client.state).toBe('closed');
    expect(server.requests).toHaveLength(1);
  });

  it('close() during the reconnect wait stops for good', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 60000\ndata: x\n\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.reconnects.length === 1, 'the reconnect to be scheduled');
    expect(recorded.client.state).toBe('connecting');
    recorded.client.close();
    expect(recorded.client.state).toBe('closed');
    expect(await recorded.client.closed).toMatchObject({ reason: 'closed' });
    expect(recorded.closes).toHaveLength(1);
  });

  it('close() inside onEvent stops further events from the same chunk', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    });
    const seen: string[] = [];
    const client = createSseClient({
      url: server.url,
      onEvent: (event) => {
        seen.push(event.data);
        client.close();
      },
    });
    clients.push(client);
    await client.closed;
    expect(seen).toEqual(['1']);
  });
});

describe('failing the connection', () => {
  for (const status of [204, 205, 210, 299, 404, 410, 503]) {
    it(`fails for good on status ${status} (request-status-error)`, async () => {
      const server = await serve((_req, res) => {
        res.writeHead(status, { 'Content-Type': 'text/event-stream' });
        res.end(status === 204 || status === 205 ? undefined : 'data: ignored\n\n');
      });
      const recorded = connect({ url: server.url });
      const info = await recorded.client.closed;
      expect(info.reason).toBe('failed');
      expect(recorded.errors).toMatchObject([{ kind: 'bad-status', fatal: true, status }]);
      expect(recorded.connects).toEqual([]);
      expect(recorded.events).toEqual([]);
      expect(recorded.reconnects).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });
  }

  it('explains 204 No Content in plain words', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204).end();
    });
    const recorded = connect({ url: server.url });
    const info = await recorded.client.closed;
    expect(info.message).toBe(
      'the server answered 204 No Content: per the SSE spec a browser stops reconnecting (servers send 204 to say "stop")',
    );
  });

  for (const contentType of ['x bogus', 'text/x-bogus', 'text/html; charset=utf-8', undefined]) {
    it(`fails for good on Content-Type ${String(contentType)} (format-mime-bogus)`, async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200, contentType === undefined ? {} : { 'Content-Type': contentType });
        res.end('data: data\n\n');
      });
      const recorded = connect({ url: server.url });
      const info = await recorded.client.closed;
      expect(info.reason).toBe('failed');
      expect(recorded.errors).toMatchObject([{ kind: 'bad-content-type', fatal: true, status: 200 }]);
      expect(info.message).toContain('text/event-stream');
      expect(recorded.events).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });
  }

  it('fails with a plain-words network error when nothing listens and reconnecting is off', async () => {
    const port = await findClosedPort();
    const recorded = connect({ url: `http://127.0.0.1:${port}/events`, reconnect: false });
    const info = await recorded.client.closed;
    expect(info.reason).toBe('failed');
    expect(recorded.errors).toMatchObject([{ kind: 'network', fatal: true, systemCode: 'ECONNREFUSED' }]);
    expect(info.message).toBe(
      `could not connect to 127.0.0.1:${port}: nothing is listening on that port (ECONNREFUSED)`,
    );
  });

  it('keeps retrying a refused connection when reconnecting is on, as browsers do', async () => {
    const port = await findClosedPort();
    const recorded = connect({ url: `http://127.0.0.1:${port}/`, retryMs: 10 });
    await waitFor(() => recorded.reconnects.length >= 2, 'two reconnect attempts');
    expect(recorded.errors.every((error) => !error.fatal && error.systemCode === 'ECONNREFUSED')).toBe(true);
    expect(recorded.reconnects.slice(0, 2).map((info) => info.attempt)).toEqual([2, 3]);
  });

  it('throws at once for a URL that is not absolute http(s)', () => {
    expect(() => createSseClient({ url: 'localhost:8122' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => createSseClient({ url: 'not a url' })).toThrow(/not a valid URL/);
    expect(() => createSseClient({ url: 'http://127.0.0.1:1/', headers: { 'Bad Name': 'x' } })).toThrow(
      /invalid request header/,
    );
  });
});

describe('request and response', () => {
  it('sends Accept and Cache-Control like a browser, plus custom headers, and the initial Last-Event-ID', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write(': ready\n\n');
    });
    const recorded = connect({
      url: server.url,
      headers: { Authorization: 'Bearer abc', 'X-Trace': '1' },
      lastEventId: '41',
    });
    await waitFor(() => recorded.comments.length === 1, 'the ready comment');
    const headers = server.requests[0]?.headers;
    expect(headers?.accept).toBe('text/event-stream');
    expect(headers?.['cache-control']).toBe('no-cache');
    expect(headers?.authorization).toBe('Bearer abc');
    expect(headers?.['x-trace']).toBe('1');
    expect(headers?.['last-event-id']).toBe('41');
    expect(recorded.comments).toEqual(['ready']);
    expect(recorded.client.lastEventId).toBe('41');
  });

  for (const status of [307, 301]) {
    it(`follows a ${status} redirect and reports the final URL (request-redirect)`, async () => {
      const server = await serve((req, res) => {
        if (req.url === '/old') {
          res.writeHead(status, { Location: '/events' }).end();
          return;
        }
        writeStreamHead(res);
        res.write('data: moved\n\n');
      });
      const recorded = connect({ url: `${server.url}/old` });
      await waitFor(() => recorded.events.length === 1, 'the event after the redirect');
      expect(recorded.connects[0]).toMatchObject({ url: `${server.url}/events`, redirected: true, status: 200 });
      expect(server.requests.map((req) => req.url)).toEqual(['/old', '/events']);
    });
  }

  it('reports status, headers and no warnings for a well-configured stream', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res, { 'Cache-Control': 'no-cache, no-transform' });
      res.write(':\n\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.connects.length === 1, 'the connection');
    const info = recorded.connects[0]!;
    expect(info).toMatchObject({ status: 200, statusText: 'OK', attempt: 1, redirected: false });
    expect(info.headers).toContainEqual(['content-type', 'text/event-stream']);
    expect(info.headers).toContainEqual(['cache-control', 'no-cache, no-transform']);
    expect(info.warnings).toEqual([]);
    expect(recorded.client.state).toBe('open');
  });

  it('warns about what commonly breaks streams: compression, caching, fixed length, proxies, charset', async () => {
    const body = gzipSync('data: compressed\n\n');
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=iso-8859-1',
        'Content-Encoding': 'gzip',
        'Content-Length': String(body.length),
      });
      res.end(body);
    });
    const recorded = connect({ url: server.url, reconnect: false });
    await recorded.client.closed;
    expect(recorded.connects[0]?.warnings.map((warning) => [warning.code, warning.level])).toEqual([
      ['content-encoding', 'warning'],
      ['cache-control-missing', 'warning'],
      ['x-accel-buffering', 'hint'],
      ['content-length', 'warning'],
      ['charset', 'warning'],
    ]);
    // fetch decompresses, as a browser does: the event still arrives.
    expect(recorded.events.map((event) => event.data)).toEqual(['compressed']);
  });

  it('warns about a Cache-Control without no-cache', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res, { 'Cache-Control': 'max-age=60' });
      res.write('\n');
    });
    const recorded = connect({ url: server.url });
    await waitFor(() => recorded.connects.length === 1, 'the connection');
    expect(recorded.connects[0]?.warnings.map((warning) => warning.code)).toEqual(['cache-control-weak']);
  });

  it('hands over every body byte exactly as received', async () => {
    const body = '\uFEFFdata: a\r\n\r\n: c\rdata: b\n\n';
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end(body);
    });
    const recorded = connect({ url: server.url, reconnect: false });
    await recorded.client.closed;
    expect(Buffer.concat(recorded.bytes).toString('utf8')).toBe(body);
    expect(recorded.events.map((event) => event.data)).toEqual(['a', 'b']);
  });
});
