import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runConnect } from '../../cli/connect.js';
import type { ConnectIo } from '../../cli/connect.js';
import {
  findClosedPort,
  lastEventIdOf,
  startTestServer,
  waitFor,
  writeStreamHead,
} from '../core/client/support/test-server.js';
import type { TestHandler, TestServer } from '../core/client/support/test-server.js';
import { tmpfsMountable } from '../reliability/support/small-filesystem.js';

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: TestHandler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

interface Captured {
  io: ConnectIo;
  stdout: () => string;
  stderr: () => string;
}

function capture(env: NodeJS.ProcessEnv = {}, extra: { signal?: AbortSignal; isTTY?: boolean } = {}): Captured {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  if (extra.isTTY === true) Object.assign(stdout, { isTTY: true });
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.out.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.err.push(chunk));
  return {
    io: { stdout, stderr, env, ...(extra.signal === undefined ? {} : { signal: extra.signal }) },
    stdout: () => Buffer.concat(chunks.out).toString('utf8'),
    stderr: () => Buffer.concat(chunks.err).toString('utf8'),
  };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const ansi = /\u001B\[/;

/** A stream with a comment, a retry, a JSON event with an id and a plain event after it. */
const demoStream: TestHandler = (_req, res) => {
  writeStreamHead(res);
  res.write(': hello\nretry: 50\nid: 7\nevent: tick\ndata: {"a":1,"ok":true}\n\ndata: plain text\n\n');
};

describe('runConnect flags', () => {
  it('prints help and exits 0, documenting the exit codes', async () => {
    const out = capture();
    expect(await runConnect(['--help'], out.io)).toBe(0);
    expect(out.stdout()).toContain('Usage: sse-console connect URL');
    expect(out.stdout()).toContain('130  interrupted with Ctrl+C');
    expect(out.stdout()).toContain('2    bad flags, a -d @FILE that cannot be read, a --record FILE that cannot be');
  });

  for (const [argv, expected] of [
    [['http://x', '--bogus'], 'unknown flag --bogus'],
    [[], 'connect needs the URL of an event stream'],
    [['a', 'b'], 'connect takes one URL, got 2'],
    [['http://x', '--timeout', '10'], '--timeout expects a duration with a unit, e.g. 500ms, 10s or 2m; got "10"'],
    [['http://x', '--timeout'], '--timeout needs a value'],
    [['http://x', '--max-events', '0'], '--max-events expects a whole number of at least 1'],
    [['http://x', '--header', 'no colon'], '--header: a header must be written "Name: value"'],
    [['http://x', '--raw=yes'], '--raw is a switch and takes no value'],
  ] as const) {
    it(`exits 2 with a clear message for ${JSON.stringify(argv)}`, async () => {
      const out = capture();
      expect(await runConnect([...argv], out.io)).toBe(2);
      expect(out.stderr()).toContain(expected);
      expect(out.stdout()).toBe('');
    });
  }

  it('names the valid flags when a flag is unknown', async () => {
    const out = capture();
    await runConnect(['connect', 'http://x', '--colour'], out.io);
    expect(out.stderr()).toContain('valid flags: --header "Name: value" (repeatable), --last-event-id ID');
    expect(out.stderr()).toContain('--no-reconnect, --max-buffer SIZE, --strict, --no-color, --help');
  });
});

describe('runConnect human output', () => {
  it('shows status, headers, times, ids, pretty JSON, comments and retry, and exits 0 at --max-events', async () => {
    const server = await serve(demoStream);
    const out = capture();
    const code = await runConnect(['connect', `${server.url}/events`, '--max-events', '2'], out.io);
    const text = out.stdout();
    expect(code).toBe(0);
    expect(text).toContain(`connecting to ${server.url}/events`);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} connected 200 OK$/m);
    expect(text).toContain('  content-type: text/event-stream');
    expect(text).toContain('  cache-control: no-cache');
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} : hello$/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} retry 50 ms \(the reconnection time is now 50 ms\)$/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} tick {2}id 7\n {2}\{\n {4}"a": 1,\n {4}"ok": true\n {2}\}$/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} message {2}no id; lastEventId 7 \(carried over\)\n {2}plain text$/m);
    expect(text).toMatch(/closed: 2 events received \(--max-events 2\)\n$/);
    expect(text).not.toMatch(ansi);
    expect(out.stderr()).toBe('');
  });

  it('shows reconnects with the Last-Event-ID it sends', async () => {
    const server = await serve((req, res) => {
      writeStreamHead(res);
      if (lastEventIdOf(req) === undefined) res.end('retry: 20\nid: 1\ndata: one\n\n');
      else res.write(`data: resumed from ${lastEventIdOf(req) ?? ''}\n\n`);
    });
    const out = capture();
    expect(await runConnect([server.url, '--max-events', '2'], out.io)).toBe(0);
    expect(out.stdout()).toMatch(
      /reconnecting in 100 ms \(attempt 2, retry 20 ms raised to the floor, Last-Event-ID: 1\): the server ended the response/,
    );
    expect(out.stdout()).toMatch(/reconnected \(attempt 2\) 200 OK {2}sent Last-Event-ID: 1/);
    expect(out.stdout()).toContain('  resumed from 1');
  });

  it('makes every byte visible with --raw, line endings included', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('\uFEFFdata: a\r\n\r\ndata:\tb\n\r');
    });
    const out = capture();
    expect(await runConnect([server.url, '--raw', '--max-events', '2'], out.io)).toBe(0);
    const text = out.stdout();
    expect(text).toMatch(/← \d+ bytes/);
    // Joined, the raw lines spell the body whatever pieces TCP delivered it in.
    const rawLines = [...text.matchAll(/^ {2}\u2502(.*)$/gm)].map((match) => match[1]);
    expect(rawLines.join('')).toBe('\u27E8BOM\u27E9data: a\u240D\u240A\u240D\u240Adata:\u2409b\u240A\u240D');
    // Each line ending ends its display line.
    for (const line of rawLines) expect(line).toMatch(/^[^\u240A\u240D]*(\u240D\u240A|\u240A|\u240D)?$/);
    expect(text).toMatch(/message {2}no id\n {2}a\n/);
  });

  it('shows only the --event types, counting only those toward --max-events', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('event: tick\ndata: 1\n\ndata: skipped\n\nevent: tock\ndata: 2\n\nevent: tick\ndata: 3\n\n');
    });
    const out = capture();
    expect(await runConnect([server.url, '--event', 'tick', '-e', 'tock', '--max-events', '2', '--json'], out.io)).toBe(
      0,
    );
    const events = jsonLines(out.stdout()).filter((record) => record.type === 'event');
    expect(events.map((record) => [record.event, record.data])).toEqual([
      ['tick', '1'],
      ['tock', '2'],
    ]);
  });

  it('makes control characters in data visible instead of passing escape sequences through', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('data: \u001B[2Jcleared?\0\n\n');
    });
    const out = capture();
    expect(await runConnect([server.url, '-n', '1'], out.io)).toBe(0);
    expect(out.stdout()).toContain('  \\x1b[2Jcleared?\\x00');
    expect(out.stdout()).not.toMatch(ansi);
  });

  it('explains ignored lines', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('Data: x\ndata: y\n\n');
    });
    const out = capture();
    expect(await runConnect([server.url, '-n', '1'], out.io)).toBe(0);
    expect(out.stdout()).toContain('ignored unknown field "Data": the fields are data, event, id and retry');
  });
});

describe('runConnect --json', () => {
  it('writes one object per line with stable shapes', async () => {
    const server = await serve(demoStream);
    const out = capture();
    expect(await runConnect([server.url, '--json', '--max-events', '2', '--raw'], out.io)).toBe(0);
    const all = jsonLines(out.stdout());
    // TCP may deliver the body in any number of pieces: one `bytes` record per piece.
    const bytesRecords = all.filter((record) => record.type === 'bytes');
    const records = all.filter((record) => record.type !== 'bytes');
    expect(records.map((record) => record.type)).toEqual([
      'open',
      'comment',
      'retry',
      'first-event',
      'event',
      'event',
      'closed',
    ]);
    expect(all[1]?.type).toBe('bytes');
    const [open, comment, retry, firstEvent, first, second, closed] = records;
    expect(Object.keys(firstEvent ?? {}).sort()).toEqual(['attempt', 'ms', 'openMs', 'time', 'type']);
    expect(firstEvent).toMatchObject({ attempt: 1 });
    expect(open).toMatchObject({
      url: `${server.url}/`,
      redirected: false,
      status: 200,
      statusText: 'OK',
      attempt: 1,
      lastEventIdSent: null,
      warnings: [],
    });
    expect((open?.headers as Record<string, string>)['content-type']).toBe('text/event-stream');
    const received = Buffer.concat(bytesRecords.map((record) => Buffer.from(String(record.base64), 'base64')));
    expect(received.toString('utf8')).toBe(
      ': hello\nretry: 50\nid: 7\nevent: tick\ndata: {"a":1,"ok":true}\n\ndata: plain text\n\n',
    );
    expect(bytesRecords.reduce((sum, record) => sum + Number(record.length), 0)).toBe(received.length);
    expect(comment).toMatchObject({ text: 'hello' });
    expect(retry).toMatchObject({ retryMs: 50 });
    expect(Object.keys(first ?? {}).sort()).toEqual([
      'data',
      'dataOmitted',
      'event',
      'id',
      'lastEventId',
      'time',
      'type',
    ]);
    expect(first).toMatchObject({ type: 'event', event: 'tick', data: '{"a":1,"ok":true}', id: '7', lastEventId: '7' });
    expect(second).toMatchObject({ type: 'event', event: 'message', data: 'plain text', id: null, lastEventId: '7' });
    expect(new Date(String(first?.time)).toISOString()).toBe(first?.time);
    expect(closed).toMatchObject({ type: 'closed', reason: 'max-events', events: 2, exitCode: 0 });
  });

  it('reports a fatal error as a record and on stderr, and exits 1', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204).end();
    });
    const out = capture();
    expect(await runConnect([server.url, '--json'], out.io)).toBe(1);
    const records = jsonLines(out.stdout());
    expect(records.map((record) => record.type)).toEqual(['response', 'error', 'closed']);
    expect(records[0]).toMatchObject({ status: 204, body: '', bodyEnd: 'complete', semantics: 'eventsource' });
    expect(records[1]).toMatchObject({ code: 'bad-status', status: 204, fatal: true });
    expect(records[2]).toMatchObject({ reason: 'failed', exitCode: 1 });
    expect(out.stderr()).toContain('204 No Content');
  });

  it('records reconnecting with the delay and the Last-Event-ID', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('retry: 20\nid: x1\ndata: one\n\n');
    });
    const out = capture();
    expect(await runConnect([server.url, '--json', '-n', '2'], out.io)).toBe(0);
    const reconnecting = jsonLines(out.stdout()).find((record) => record.type === 'reconnecting');
    expect(reconnecting).toMatchObject({
      delayMs: 100,
      retryMs: 20,
      attempt: 2,
      lastEventId: 'x1',
      reason: 'the server ended the response',
    });
    expect(lastEventIdOf(server.requests[1]!)).toBe('x1');
  });
});

describe('runConnect failures and endings', () => {
  it('exits 1 on 204, saying why a browser stops, without reconnecting', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204).end();
    });
    const out = capture();
    expect(await runConnect([server.url], out.io)).toBe(1);
    expect(out.stderr()).toBe(
      'sse-console connect: the server answered 204 No Content: per the SSE spec a browser stops reconnecting (servers send 204 to say "stop")\n',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('exits 1 on a wrong Content-Type', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    const out = capture();
    expect(await runConnect([server.url], out.io)).toBe(1);
    expect(out.stderr()).toContain('Content-Type "application/json" (MIME type application/json)');
    expect(out.stderr()).toContain('must be sent as "Content-Type: text/event-stream"');
  });

  it('exits 1 on a URL that is not http(s)', async () => {
    const out = capture();
    expect(await runConnect(['ftp://127.0.0.1/events'], out.io)).toBe(1);
    expect(out.stderr()).toContain('uses ftp:, but an event stream is fetched over http:// or https://');
  });

  it('exits 1 when nothing listens and --no-reconnect is given', async () => {
    const port = await findClosedPort();
    const out = capture();
    expect(await runConnect([`127.0.0.1:${port}/events`, '--no-reconnect'], out.io)).toBe(1);
    expect(out.stderr()).toBe(
      `sse-console connect: could not connect to 127.0.0.1:${port}: nothing is listening on that port (ECONNREFUSED)\n`,
    );
  });

  it('exits 2 when --timeout runs out before --max-events', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('data: only one\n\n');
    });
    const out = capture();
    expect(await runConnect([server.url, '--max-events', '3', '--timeout', '300ms'], out.io)).toBe(2);
    // On a loaded machine the one event may not even arrive in time; either way it is short.
    expect(out.stderr()).toMatch(/timed out after 300ms: [01] events? of the 3 asked for by --max-events arrived/);
  });

  it('exits 2 when --timeout runs out with no event at all', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write(': silence\n\n');
    });
    const out = capture();
    expect(await runConnect([server.url, '--timeout', '200ms', '--json'], out.io)).toBe(2);
    expect(jsonLines(out.stdout()).at(-1)).toMatchObject({ type: 'closed', reason: 'timeout', exitCode: 2 });
    expect(out.stderr()).toContain('timed out after 200ms: no event arrived');
  });

  it('exits 0 when the stream ends with --no-reconnect, and 1 when that is before --max-events', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('data: a\n\n');
    });
    const ended = capture();
    expect(await runConnect([server.url, '--no-reconnect'], ended.io)).toBe(0);
    expect(ended.stdout()).toContain('closed: the server ended the stream after 1 event (--no-reconnect is on)');
    const short = capture();
    expect(await runConnect([server.url, '--no-reconnect', '--max-events', '2'], short.io)).toBe(1);
    expect(short.stderr()).toContain('ended the stream after 1 event, before the 2 asked for by --max-events');
  });

  it('closes cleanly and exits 130 when interrupted', async () => {
    let closedByClient = false;
    const server = await serve((req, res) => {
      writeStreamHead(res);
      res.write('data: waiting\n\n');
      req.on('close', () => {
        closedByClient = true;
      });
    });
    const controller = new AbortController();
    const out = capture({}, { signal: controller.signal });
    const running = runConnect([server.url], out.io);
    await waitFor(() => out.stdout().includes('waiting'), 'the first event');
    controller.abort();
    expect(await running).toBe(130);
    expect(out.stdout()).toContain('closed: interrupted (Ctrl+C)');
    await waitFor(() => closedByClient, 'the server to see the connection close');
  });
});

describe('runConnect request', () => {
  it('sends --header values and --last-event-id on the first request', async () => {
    const server = await serve(demoStream);
    const out = capture();
    const code = await runConnect(
      [server.url, '-H', 'Authorization: Bearer abc', '--header', 'X-Trace:  42 ', '--last-event-id', '41', '-n', '1'],
      out.io,
    );
    expect(code).toBe(0);
    const headers = server.requests[0]?.headers;
    expect(headers?.authorization).toBe('Bearer abc');
    expect(headers?.['x-trace']).toBe('42');
    expect(headers?.['last-event-id']).toBe('41');
    expect(headers?.accept).toBe('text/event-stream');
    expect(out.stdout()).toContain(`connecting to ${server.url} with Last-Event-ID: 41`);
  });

  it('follows a 307 redirect and says where it landed', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(307, { Location: '/events' }).end();
        return;
      }
      void demoStream(req, res);
    });
    const out = capture();
    expect(await runConnect([`${server.url}/old`, '-n', '1'], out.io)).toBe(0);
    expect(out.stdout()).toContain(`  redirected to ${server.url}/events`);
  });
});

describe('runConnect shows a refused response as the page would meet it', () => {
  const apiError = { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } };

  /** Answers every request with this status, Content-Type and body, after reading the request. */
  function answer(status: number, contentType: string, body: string): TestHandler {
    return async (req, res) => {
      for await (const _chunk of req) {
        // The request body is read so the answer is not a reset.
      }
      res.writeHead(status, { 'Content-Type': contentType, 'X-Request-Id': 'req-7' }).end(body);
    };
  }

  const post = ['-d', '{"model":"m","stream":true}', '-H', 'Content-Type: application/json'];

  it('a POST answered 400 with a JSON error: status, headers and the body, in fetch() terms, then exit 1', async () => {
    const server = await serve(answer(400, 'application/json', JSON.stringify(apiError)));
    const out = capture();
    expect(await runConnect([server.url, ...post], out.io)).toBe(1);
    const text = out.stdout();
    expect(text).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} refused 400 Bad Request \(fetch\(\) resolves with it \(response\.ok is false\): a page can read this status, these headers and this body\)$/m,
    );
    expect(text).toContain('  x-request-id: req-7');
    expect(text).toContain('  content-type: application/json');
    expect(text).toMatch(/ {2}body, \d+ bytes:\n {2}\{\n {4}"error": \{\n {6}"message": "Incorrect API key provided",/);
    expect(out.stderr()).toContain(
      'the server answered 400 Bad Request: fetch() resolves with it (response.ok is false',
    );
    expect(out.stderr()).not.toContain('EventSource');
  });

  it('the same in --json: a response record with the exact body before the error', async () => {
    const server = await serve(answer(400, 'application/json', JSON.stringify(apiError)));
    const out = capture();
    expect(await runConnect([server.url, ...post, '--json'], out.io)).toBe(1);
    const records = jsonLines(out.stdout());
    expect(records.map((record) => record.type)).toEqual(['notice', 'response', 'error', 'closed']);
    expect(records[1]).toMatchObject({
      type: 'response',
      semantics: 'fetch',
      url: `${server.url}/`,
      redirected: false,
      status: 400,
      statusText: 'Bad Request',
      body: JSON.stringify(apiError),
      bodyBytes: JSON.stringify(apiError).length,
      bodyEnd: 'complete',
    });
    expect((records[1]?.headers as Record<string, string>)['x-request-id']).toBe('req-7');
    expect(Object.keys(records[1] ?? {})).toEqual([
      'type',
      'time',
      'semantics',
      'url',
      'redirected',
      'status',
      'statusText',
      'headers',
      'body',
      'bodyBytes',
      'bodyEnd',
    ]);
  });

  it('a POST answered 500 with an event-stream body shows the events it carried', async () => {
    const server = await serve(answer(500, 'text/event-stream', 'event: error\ndata: {"error":"overloaded"}\n\n'));
    const out = capture();
    expect(await runConnect([server.url, ...post], out.io)).toBe(1);
    expect(out.stdout()).toContain(
      'refused 500 Internal Server Error (fetch() resolves with it (response.ok is false)',
    );
    expect(out.stdout()).toContain('  event: error\n  data: {"error":"overloaded"}\n');
    expect(out.stderr()).toContain(
      'its body is an event stream, which a page that does not check response.ok would still parse',
    );
  });

  it('a POST answered 200 with application/json is not a stream: the JSON is shown and the run exits 1', async () => {
    const completion = { choices: [{ message: { content: 'a whole answer' } }] };
    const server = await serve(answer(200, 'application/json', JSON.stringify(completion)));
    const out = capture();
    expect(await runConnect([server.url, ...post], out.io)).toBe(1);
    expect(out.stdout()).toContain('refused 200 OK (fetch() resolves with it (response.ok is true)');
    expect(out.stdout()).toContain('"content": "a whole answer"');
    expect(out.stderr()).toContain(
      'the server answered 200 OK with Content-Type "application/json", not text/event-stream: fetch() resolves with it as an ordinary body',
    );
  });

  it('a plain GET answered 404 is described in EventSource terms, with the body shown', async () => {
    const server = await serve(answer(404, 'text/plain', 'no stream here'));
    const out = capture();
    expect(await runConnect([server.url], out.io)).toBe(1);
    expect(out.stdout()).toContain(
      'refused 404 Not Found (an EventSource fails on it: a page gets only an error event, without this status, these headers or this body)',
    );
    expect(out.stdout()).toContain('  body, 14 bytes:\n  no stream here\n');
    expect(out.stderr()).toContain('an EventSource only accepts 200 OK');
  });

  it('escapes what the body holds, and --raw shows its bytes too', async () => {
    const server = await serve(answer(502, 'text/html', '<h1>Bad gateway</h1>\u001B]0;owned\u0007\u001B[2J'));
    const out = capture();
    expect(await runConnect([server.url, '--raw', ...post], out.io)).toBe(1);
    expect(out.stdout()).not.toMatch(/\u001B|\u0007/);
    expect(out.stdout()).toContain('  <h1>Bad gateway</h1>\\x1b]0;owned\\x07\\x1b[2J');
    expect(out.stdout()).toMatch(/← \d+ bytes\n {2}│<h1>Bad gateway/);
  });

  it('reads at most 64 KiB of a long body: the human view is cut with the rest counted, --json says how it ended', async () => {
    const server = await serve(answer(500, 'text/plain', 'e'.repeat(100_000)));
    const human = capture();
    expect(await runConnect([server.url, ...post], human.io)).toBe(1);
    expect(human.stdout()).toContain('  body, the first 65536 bytes (the rest was not read):');
    expect(human.stdout()).toMatch(/ {2}e{8192}… \(57344 more characters\)\n/);
    const json = capture();
    expect(await runConnect([server.url, ...post, '--json'], json.io)).toBe(1);
    const response = jsonLines(json.stdout()).find((record) => record.type === 'response');
    expect(response).toMatchObject({ bodyBytes: 65536, bodyEnd: 'limit' });
    expect(String(response?.body)).toBe('e'.repeat(65536));
  });

  it('stops reading a refused body that does not end, and shows what came', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/event-stream' });
      res.write('data: still overloaded\n\n');
    });
    const out = capture();
    expect(await runConnect([server.url, '--json'], out.io)).toBe(1);
    expect(jsonLines(out.stdout()).find((record) => record.type === 'response')).toMatchObject({
      status: 503,
      body: 'data: still overloaded\n\n',
      bodyEnd: 'timeout',
      semantics: 'eventsource',
    });
  });
});

describe('runConnect redirects a browser would refuse', () => {
  /** A stream on one origin and a redirect to it from another (another port is another origin). */
  async function redirectToOtherOrigin(streamHeaders: Record<string, string>): Promise<string> {
    const target = await serve((_req, res) => {
      writeStreamHead(res, streamHeaders);
      res.write('data: from the other origin\n\n');
    });
    const front = await serve((_req, res) => {
      res.writeHead(307, { Location: `${target.url}/events` }).end();
    });
    return `${front.url}/old`;
  }

  it('warns when a redirect lands on another origin that sends no Access-Control-Allow-Origin', async () => {
    const url = await redirectToOtherOrigin({});
    const out = capture();
    expect(await runConnect([url, '-n', '1'], out.io)).toBe(0);
    const origin = new URL(url).origin;
    expect(out.stdout()).toMatch(
      new RegExp(
        `warning: redirected from ${origin} to another origin, http://127\\.0\\.0\\.1:\\d+, which answers without Access-Control-Allow-Origin: a browser page served from ${origin} is refused this response`,
      ),
    );
    const json = capture();
    expect(await runConnect([url, '-n', '1', '--json'], json.io)).toBe(0);
    const open = jsonLines(json.stdout()).find((record) => record.type === 'open');
    expect(open?.warnings).toContainEqual(expect.objectContaining({ code: 'cross-origin-redirect', level: 'warning' }));
  });

  it('warns when the other origin allows only a third one, and not when it allows every origin', async () => {
    const narrow = capture();
    const narrowUrl = await redirectToOtherOrigin({ 'Access-Control-Allow-Origin': 'https://app.example' });
    expect(await runConnect([narrowUrl, '-n', '1'], narrow.io)).toBe(0);
    expect(narrow.stdout()).toContain('which allows only "https://app.example"');
    const open = capture();
    const openUrl = await redirectToOtherOrigin({ 'Access-Control-Allow-Origin': '*' });
    expect(await runConnect([openUrl, '-n', '1'], open.io)).toBe(0);
    expect(open.stdout()).toContain('redirected to');
    expect(open.stdout()).not.toContain('another origin');
  });
});

describe('runConnect when the server resets the connection mid-body', () => {
  const heads = {
    'close-delimited (no length, no chunking)': 'Connection: close\r\n',
    chunked: 'Transfer-Encoding: chunked\r\n',
    sized: 'Content-Length: 100000\r\n',
  } as const;

  /** A raw HTTP/1.1 server: one event in the given framing, then the socket is held for the test to reset. */
  async function rawServer(framing: keyof typeof heads): Promise<{ url: string; sockets: Socket[] }> {
    const sockets: Socket[] = [];
    const server = createNetServer((socket) => {
      sockets.push(socket);
      socket.once('data', () => {
        const body = 'retry: 100\ndata: one\n\n';
        const framed = framing === 'chunked' ? `${body.length.toString(16)}\r\n${body}\r\n` : body;
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n${heads[framing]}\r\n${framed}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({
      url: '',
      port: 0,
      requests: [],
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, sockets };
  }

  for (const framing of Object.keys(heads) as (keyof typeof heads)[]) {
    it(`a reset during a ${framing} body is a network error, exit 1 with --no-reconnect`, async () => {
      const { url, sockets } = await rawServer(framing);
      const out = capture();
      const running = runConnect([url, '--no-reconnect'], out.io);
      await waitFor(() => out.stdout().includes('  one'), 'the event before the reset');
      sockets[0]?.resetAndDestroy();
      expect(await running).toBe(1);
      expect(out.stderr()).toContain('dropped mid-stream: the server reset the connection (ECONNRESET)');
      expect(out.stdout()).not.toContain('the server ended the stream');
    });
  }

  it('a reset during a close-delimited body reconnects as a network error does', async () => {
    const { url, sockets } = await rawServer('close-delimited (no length, no chunking)');
    const out = capture();
    const running = runConnect([url, '--json', '--max-events', '2'], out.io);
    await waitFor(() => out.stdout().includes('"event"'), 'the first event');
    sockets[0]?.resetAndDestroy();
    expect(await running).toBe(0);
    const records = jsonLines(out.stdout());
    expect(records.find((record) => record.type === 'error')).toMatchObject({
      code: 'network',
      fatal: false,
      cause: 'ECONNRESET',
    });
    expect(records.find((record) => record.type === 'reconnecting')).toMatchObject({
      reason: expect.stringContaining('ECONNRESET') as unknown,
    });
  });
});

describe('runConnect colours', () => {
  const colourCases: [string, NodeJS.ProcessEnv, string[], { isTTY?: boolean }, boolean][] = [
    ['a TTY', {}, [], { isTTY: true }, true],
    ['a pipe', {}, [], {}, false],
    ['FORCE_COLOR on a pipe', { FORCE_COLOR: '1' }, [], {}, true],
    ['NO_COLOR on a TTY', { NO_COLOR: '1' }, [], { isTTY: true }, false],
    ['--no-color on a TTY', {}, ['--no-color'], { isTTY: true }, false],
  ];
  for (const [name, env, flags, extra, coloured] of colourCases) {
    it(`${coloured ? 'colours' : 'does not colour'} output for ${name}`, async () => {
      const server = await serve(demoStream);
      const out = capture(env, extra);
      expect(await runConnect([server.url, '-n', '1', ...flags], out.io)).toBe(0);
      if (coloured) expect(out.stdout()).toMatch(ansi);
      else expect(out.stdout()).not.toMatch(ansi);
    });
  }
});

describe('runConnect as a browser would fail or recover (issue 14)', () => {
  it('a body that fails to decode is an error with a reason and exit 1 with --no-reconnect, also with --max-events', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' });
      res.end('data: not gzip\n\n');
    });
    for (const extra of [[], ['--max-events', '1']]) {
      const out = capture();
      expect(await runConnect([server.url, '--no-reconnect', ...extra], out.io)).toBe(1);
      expect(out.stderr()).toContain('could not be decoded');
    }
  });

  it('a decoding failure reconnects when reconnecting is on', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' });
      res.end('data: not gzip\n\n');
    });
    const controller = new AbortController();
    const out = capture({}, { signal: controller.signal });
    const run = runConnect([server.url, '--json', '--max-events', '1'], out.io);
    await waitFor(() => out.stdout().includes('"reconnecting"'), 'a reconnecting record');
    controller.abort();
    expect(await run).toBe(130);
    expect(jsonLines(out.stdout()).find((record) => record.type === 'error')).toMatchObject({
      code: 'network',
      fatal: false,
    });
  });

  it('--strict fails a charset other than UTF-8 as Chromium does (exit 1); without it, a warning says so', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res, { 'Content-Type': 'text/event-stream; charset=iso-8859-1' });
      res.write('data: x\n\n');
    });
    const strict = capture();
    expect(await runConnect([server.url, '--strict'], strict.io)).toBe(1);
    expect(strict.stderr()).toContain('Chromium fails such a connection');
    const loose = capture();
    expect(await runConnect([server.url, '--max-events', '1'], loose.io)).toBe(0);
    expect(loose.stdout()).toContain('Chromium browsers fail the connection');
  });

  it('--max-buffer bounds a line that never ends: the overflow is reported, exit 1 with --no-reconnect', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write(`data: ${'x'.repeat(8192)}`);
    });
    const out = capture();
    expect(await runConnect([server.url, '--max-buffer', '4KiB', '--no-reconnect'], out.io)).toBe(1);
    expect(out.stderr()).toContain('grew past 4096 characters');
  });

  it('rejects a --max-buffer that is not a size', async () => {
    const out = capture();
    expect(await runConnect(['http://127.0.0.1:1/', '--max-buffer', 'lots'], out.io)).toBe(2);
    expect(out.stderr()).toContain('--max-buffer expects a size of at least 1KiB');
  });
});

describe('runConnect any request (issue 14)', () => {
  /** A small streaming POST endpoint, as LLM token streams are: it echoes the request, one event per word. */
  const streamingPost: TestHandler = async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    writeStreamHead(res);
    const body = Buffer.concat(chunks).toString('utf8');
    res.write(`event: request\ndata: ${req.method ?? ''} ${req.headers['content-type'] ?? '-'} ${body}\n\n`);
    for (const word of ['one', 'two']) res.write(`data: ${word}\n\n`);
    res.end();
  };

  it('-d sends a POST with the body, says EventSource cannot, and does not reconnect when the stream ends', async () => {
    const server = await serve(streamingPost);
    const out = capture();
    const code = await runConnect(
      [server.url, '-d', '{"prompt":"hi"}', '-H', 'Content-Type: application/json'],
      out.io,
    );
    expect(code).toBe(0);
    expect(out.stdout()).toContain("note: a browser's EventSource cannot make this request");
    expect(out.stdout()).toContain('POST application/json {"prompt":"hi"}');
    expect(out.stdout()).toContain('reconnecting is off for a POST request; --reconnect turns it on');
    expect(server.requests).toHaveLength(1);
  });

  it('-X and -d @FILE send the file; --json has a notice record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-body-'));
    try {
      const file = join(dir, 'body.json');
      writeFileSync(file, '{"from":"file"}');
      const server = await serve(streamingPost);
      const out = capture();
      expect(await runConnect([server.url, '-X', 'PUT', '-d', `@${file}`, '--json'], out.io)).toBe(0);
      const records = jsonLines(out.stdout());
      expect(records[0]).toMatchObject({ type: 'notice' });
      expect(records.find((record) => record.type === 'event')).toMatchObject({
        event: 'request',
        data: 'PUT - {"from":"file"}',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--reconnect re-sends a POST after the stream ends', async () => {
    const server = await serve(streamingPost);
    const out = capture();
    expect(await runConnect([server.url, '-d', 'again', '--reconnect', '--max-events', '5', '--json'], out.io)).toBe(0);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.every((req) => req.method === 'POST')).toBe(true);
  });

  it('a gzip-compressed POST stream is decoded, and the request says it accepts gzip', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' });
      res.end(gzipSync('data: unzipped\n\n'));
    });
    const out = capture();
    expect(await runConnect([server.url, '-d', 'x', '--max-events', '1', '--json'], out.io)).toBe(0);
    expect(jsonLines(out.stdout()).find((record) => record.type === 'event')).toMatchObject({ data: 'unzipped' });
    expect(server.requests[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it('-k accepts a self-signed certificate that is refused without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore', timeout: 30_000 },
      );
      const tls = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_req, res) => {
          writeStreamHead(res);
          res.write('data: secure\n\n');
        },
      );
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`;
      try {
        const refused = capture();
        expect(await runConnect([url, '--no-reconnect'], refused.io)).toBe(1);
        expect(refused.stderr()).toContain('self-signed');
        const accepted = capture();
        expect(await runConnect([url, '-k', '--max-events', '1'], accepted.io)).toBe(0);
        expect(accepted.stdout()).toContain('secure');
      } finally {
        tls.closeAllConnections();
        await new Promise((resolve) => tls.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [argv, message] of [
    [['-X', 'GET', '-d', 'x'], 'which a GET request cannot have'],
    [['-X', 'bad method'], '-X/--method expects one word'],
    [['-d', '@'], '-d @FILE needs a file name'],
    [['--reconnect', '--no-reconnect'], 'not both'],
    [['-d', '@/nonexistent/body.json'], 'cannot read the request body file "/nonexistent/body.json": no such file'],
    [['-d', '@/dev/zero'], 'is not a regular file'],
    [['-X', 'TRACE'], 'fetch cannot send a TRACE request'],
  ] as const) {
    it(`refuses ${argv.join(' ')} with a clear message`, async () => {
      const out = capture();
      const code = await runConnect(['http://127.0.0.1:1/', ...argv], out.io);
      expect(code).toBe(message.startsWith('fetch') ? 1 : 2);
      expect(out.stderr()).toContain(message);
    });
  }
});

describe('runConnect --record (issue 14)', () => {
  it('writes every event and retry with its arrival time as JSON Lines, ids as sent', async () => {
    const server = await serve(async (_req, res) => {
      writeStreamHead(res);
      res.write('retry: 2500\nid: a1\nevent: tick\ndata: one\n\n');
      await new Promise((resolve) => setTimeout(resolve, 120));
      res.write('data: two\ndata: lines\n\n');
    });
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-record-'));
    try {
      const file = join(dir, 'stream.jsonl');
      const out = capture();
      expect(
        await runConnect(
          [server.url, '--record', file, '--max-events', '2', '--event', 'tick', '--timeout', '1s'],
          out.io,
        ),
      ).toBe(2);
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map(({ storedAt: _storedAt, ...rest }) => rest)).toEqual([
        { retry: 2500 },
        { id: 'a1', data: 'one', event: 'tick' },
        { data: 'two\nlines' },
      ]);
      const times = lines.map((line) => line.storedAt as number);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records and shows each block with only an id, an empty one included', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.end('id: 1\ndata: one\n\nid: 9\n\nid:\ndata: two\n\nid\n\n');
    });
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-record-'));
    try {
      const file = join(dir, 'stream.jsonl');
      const human = capture();
      expect(await runConnect([server.url, '--record', file, '--no-reconnect'], human.io)).toBe(0);
      expect(human.stdout()).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} id 9 \(a block with only an id: no event fires; the last event ID is now this id\)$/m,
      );
      expect(human.stdout()).toMatch(
        / id "" \(a block with only an id: no event fires; the last event ID is cleared\)$/m,
      );
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map(({ storedAt: _storedAt, ...rest }) => rest)).toEqual([
        { id: '1', data: 'one' },
        { id: '9' },
        { id: '', data: 'two' },
        { id: '' },
      ]);
      const json = capture();
      expect(await runConnect([server.url, '--json', '--no-reconnect'], json.io)).toBe(0);
      expect(
        jsonLines(json.stdout())
          .filter((record) => record.type === 'id' || record.type === 'event')
          .map((record) => [record.type, record.id]),
      ).toEqual([
        ['event', '1'],
        ['id', '9'],
        ['event', ''],
        ['id', ''],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces a symlink at FILE instead of writing through it, and says when it replaces a file', async () => {
    const server = await serve((_req, res) => {
      writeStreamHead(res);
      res.write('id: 1\ndata: recorded\n\n');
    });
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-record-'));
    try {
      const target = join(dir, 'precious.txt');
      writeFileSync(target, 'not to be overwritten\n');
      const link = join(dir, 'stream.jsonl');
      symlinkSync(target, link);
      const out = capture();
      expect(await runConnect([server.url, '--record', link, '--max-events', '1', '--timeout', '5s'], out.io)).toBe(0);
      expect(readFileSync(target, 'utf8')).toBe('not to be overwritten\n');
      expect(lstatSync(link).isSymbolicLink()).toBe(false);
      expect(JSON.parse(readFileSync(link, 'utf8'))).toMatchObject({ id: '1', data: 'recorded' });
      expect(out.stderr()).toBe(
        `sse-console connect: ${JSON.stringify(link)} exists; the recording replaces it when the first event arrives\n`,
      );
      expect(readdirSync(dir).sort()).toEqual(['precious.txt', 'stream.jsonl']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves an existing FILE as it was when nothing arrived to record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-record-'));
    try {
      const file = join(dir, 'stream.jsonl');
      writeFileSync(file, '{"data":"an earlier recording","storedAt":1}\n');
      const out = capture();
      const url = `http://127.0.0.1:${await findClosedPort()}/`;
      expect(await runConnect([url, '--record', file, '--no-reconnect'], out.io)).toBe(1);
      expect(readFileSync(file, 'utf8')).toBe('{"data":"an earlier recording","storedAt":1}\n');
      expect(out.stderr()).toContain(
        `sse-console connect: nothing arrived to record, so ${JSON.stringify(file)} was left as it was\n`,
      );
      expect(readdirSync(dir)).toEqual(['stream.jsonl']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!tmpfsMountable)(
    'a recording stopped by a full disk is an error exit, and the file keeps every whole line (a real tmpfs; mounting needs root)',
    async () => {
      const chunk = 'y'.repeat(1500);
      const server = await serve(async (_req, res) => {
        writeStreamHead(res);
        for (let i = 1; i <= 40 && !res.destroyed; i += 1) {
          res.write(`id: ${i}\ndata: ${chunk}\n\n`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      });
      const dir = mkdtempSync(join(tmpdir(), 'sse-console-record-'));
      const small = join(dir, 'small');
      mkdirSync(small);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16384', 'tmpfs', small]);
      try {
        const file = join(small, 'stream.jsonl');
        const out = capture();
        expect(await runConnect([server.url, '--record', file, '--no-reconnect', '--timeout', '10s'], out.io)).toBe(1);
        const lines = readFileSync(file, 'utf8').split('\n');
        expect(lines.pop()).toBe('');
        expect(lines.length).toBeGreaterThan(3);
        lines.forEach((line, index) => expect(JSON.parse(line)).toMatchObject({ id: String(index + 1), data: chunk }));
        expect(out.stderr()).toBe(
          `sse-console connect: recording to ${JSON.stringify(file)} stopped after ${lines.length} lines: the disk is full (ENOSPC); the file holds the lines recorded until then\n`,
        );
      } finally {
        execFileSync('umount', [small]);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('refuses a --record target that is not a regular file', async () => {
    const out = capture();
    expect(await runConnect(['http://127.0.0.1:1/', '--record', '/dev/null'], out.io)).toBe(2);
    expect(out.stderr()).toContain('cannot record to "/dev/null": not a regular file');
  });
});
