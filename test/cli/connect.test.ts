import { PassThrough } from 'node:stream';
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
    expect(out.stdout()).toContain('2    bad flags, or --timeout ran out');
  });

  for (const [argv, expected] of [
    [['http://x', '--bogus'], 'unknown flag --bogus'],
    [[], 'connect needs the URL of an event stream'],
    [['a', 'b'], 'connect takes one URL, got 2'],
    [['http://x', '--timeout', '10'], '--timeout expects a duration with a unit, e.g. 500ms, 10s or 2m; got "10"'],
    [['http://x', '--timeout'], '--timeout needs a value'],
    [['http://x', '--max-events', '0'], '--max-events expects a whole number of at least 1'],
    [['http://x', '--header', 'no colon'], '--header expects "Name: value"'],
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
    expect(out.stderr()).toContain('--no-reconnect, --no-color, --help');
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
    expect(out.stdout()).toMatch(/reconnecting in 20 ms \(attempt 2, Last-Event-ID: 1\): the server ended the response/);
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
    expect(await runConnect([server.url, '--event', 'tick', '-e', 'tock', '--max-events', '2', '--json'], out.io)).toBe(0);
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
    expect(records.map((record) => record.type)).toEqual(['open', 'comment', 'retry', 'event', 'event', 'closed']);
    expect(all[1]?.type).toBe('bytes');
    const [open, comment, retry, first, second, closed] = records;
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
    expect(Object.keys(first ?? {}).sort()).toEqual(['data', 'dataOmitted', 'event', 'id', 'lastEventId', 'time', 'type']);
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
    expect(records.map((record) => record.type)).toEqual(['error', 'closed']);
    expect(records[0]).toMatchObject({ code: 'bad-status', status: 204, fatal: true });
    expect(records[1]).toMatchObject({ reason: 'failed', exitCode: 1 });
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
    expect(reconnecting).toMatchObject({ delayMs: 20, attempt: 2, lastEventId: 'x1', reason: 'the server ended the response' });
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
      demoStream(req, res);
    });
    const out = capture();
    expect(await runConnect([`${server.url}/old`, '-n', '1'], out.io)).toBe(0);
    expect(out.stdout()).toContain(`  redirected to ${server.url}/events`);
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
