import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import { crashSigns, startConsoleProcess, type ConsoleProcess } from '../support/console-process.js';
import { exchange, fetchOnce, type RawAnswer } from './support/raw-http.js';
import { openStream, type StreamClient } from './support/stream-client.js';
import { useCleanup, waitFor, type Cleanup } from '../support/wait.js';

const cleanup = useCleanup();

type Listener = 'sse' | 'pages';
/** What a listener must do: answer with this status, answer with a stream, or close. */
type Outcome = number | 'stream' | 'closed';

interface HostileCase {
  readonly name: string;
  readonly request: string;
  readonly sse: Outcome;
  readonly pages: Outcome;
}

const host = 'Host: 127.0.0.1\r\n';
const get = (target: string, headers = ''): string => `GET ${target} HTTP/1.1\r\n${host}${headers}\r\n`;
const thousandParams = Array.from({ length: 1000 }, (_, i) => `p${i}=${'v'.repeat(i % 7)}`).join('&');

const CASES: readonly HostileCase[] = [
  { name: 'a request line that is not HTTP', request: 'GARBAGE\r\n\r\n', sse: 400, pages: 400 },
  { name: 'a method without a target', request: 'GET\r\n\r\n', sse: 400, pages: 400 },
  { name: 'an unknown HTTP version', request: `GET / HTTP/9.9\r\n${host}\r\n`, sse: 400, pages: 400 },
  { name: 'binary junk', request: '\u0000\u0001\u0002\u00ff\u00fe junk\r\n\r\n', sse: 400, pages: 400 },
  { name: 'a space inside the target', request: `GET /a b HTTP/1.1\r\n${host}\r\n`, sse: 400, pages: 400 },
  { name: 'LF-only line endings', request: 'GET /events HTTP/1.1\nHost: 127.0.0.1\n\n', sse: 400, pages: 400 },
  { name: 'a header line without a colon', request: get('/events', 'NoColonHere\r\n'), sse: 400, pages: 400 },
  { name: 'a folded header', request: get('/events', 'Last-Event-ID: 1\r\n 2\r\n'), sse: 400, pages: 400 },
  { name: 'one header over 16 KiB', request: get('/events', `X-Big: ${'a'.repeat(20_000)}\r\n`), sse: 431, pages: 431 },
  {
    name: '300 headers, 20 KiB in all',
    request: get('/events', Array.from({ length: 300 }, (_, i) => `X-H${i}: ${'v'.repeat(60)}\r\n`).join('')),
    sse: 431,
    pages: 431,
  },
  { name: 'a 20 KiB target', request: get(`/${'a'.repeat(20_000)}`), sse: 431, pages: 431 },
  {
    name: 'Last-Event-ID of 10,000 digits',
    request: get('/events', `Last-Event-ID: ${'9'.repeat(10_000)}\r\n`),
    sse: 'stream',
    pages: 404,
  },
  {
    name: 'Last-Event-ID of 10,000 letters',
    request: get('/events', `Last-Event-ID: ${'z'.repeat(10_000)}\r\n`),
    sse: 'stream',
    pages: 404,
  },
  { name: 'a non-numeric Last-Event-ID', request: get('/events', 'Last-Event-ID: abc\r\n'), sse: 'stream', pages: 404 },
  { name: 'a negative Last-Event-ID', request: get('/events', 'Last-Event-ID: -5\r\n'), sse: 'stream', pages: 404 },
  {
    name: 'a Last-Event-ID past every issued id',
    request: get('/events', 'Last-Event-ID: 99999999999999999999\r\n'),
    sse: 'stream',
    pages: 404,
  },
  { name: 'NUL in Last-Event-ID', request: get('/events', 'Last-Event-ID: 1\u00002\r\n'), sse: 400, pages: 400 },
  { name: 'a bare CR in Last-Event-ID', request: get('/events', 'Last-Event-ID: 1\r2\r\n'), sse: 400, pages: 400 },
  { name: 'a bare LF in Last-Event-ID', request: get('/events', 'Last-Event-ID: 1\n2\r\n'), sse: 400, pages: 400 },
  {
    name: 'an escape sequence in Last-Event-ID',
    request: get('/events', 'Last-Event-ID: \u001b[2J\r\n'),
    sse: 400,
    pages: 400,
  },
  {
    name: 'CR/LF/NUL encoded in ?lastEventId=',
    request: get('/events?lastEventId=%00%0D%0Aevent:%20x%0A%0Adata:%20injected'),
    sse: 'stream',
    pages: 404,
  },
  { name: 'a thousand query parameters', request: get(`/events?${thousandParams}`), sse: 'stream', pages: 404 },
  {
    name: 'a thousand lastEventId parameters',
    request: get(`/events?${'lastEventId=x&'.repeat(1000)}`),
    sse: 'stream',
    pages: 404,
  },
  { name: 'an unknown method', request: `BREW /events HTTP/1.1\r\n${host}\r\n`, sse: 400, pages: 400 },
  { name: 'PURGE', request: `PURGE /events HTTP/1.1\r\n${host}\r\n`, sse: 405, pages: 404 },
  { name: 'PROPFIND on /', request: `PROPFIND / HTTP/1.1\r\n${host}\r\n`, sse: 405, pages: 405 },
  { name: 'TRACE', request: `TRACE / HTTP/1.1\r\n${host}\r\n`, sse: 405, pages: 405 },
  {
    name: 'DELETE with a body',
    request: `DELETE / HTTP/1.1\r\n${host}Content-Length: 5\r\n\r\nhello`,
    sse: 405,
    pages: 405,
  },
  {
    name: 'CONNECT',
    request: 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n',
    sse: 'closed',
    pages: 'closed',
  },
  {
    name: 'a WebSocket upgrade',
    request: get('/events', 'Connection: Upgrade\r\nUpgrade: websocket\r\n'),
    sse: 'stream',
    pages: 404,
  },
  {
    name: 'Content-Length with Transfer-Encoding (smuggling)',
    request: `POST / HTTP/1.1\r\n${host}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    sse: 400,
    pages: 400,
  },
  {
    name: 'a non-numeric Content-Length',
    request: `POST / HTTP/1.1\r\n${host}Content-Length: abc\r\n\r\n`,
    sse: 400,
    pages: 400,
  },
  { name: 'Expect: 100-continue', request: get('/', 'Expect: 100-continue\r\n'), sse: 'stream', pages: 200 },
  { name: 'HTTP/1.0 without Host', request: 'GET /events HTTP/1.0\r\n\r\n', sse: 'stream', pages: 404 },
  // A Host the stream listener does not serve is refused (DNS rebinding); pages check it on POST only.
  {
    name: 'an absolute-form target',
    request: 'GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n',
    sse: 403,
    pages: 200,
  },
  { name: 'two Host headers', request: get('/', 'Host: evil.example\r\n'), sse: 'stream', pages: 200 },
  { name: 'path traversal', request: get('/assets/../../../../etc/passwd'), sse: 404, pages: 404 },
  { name: 'encoded path traversal', request: get('/assets/%2e%2e/%2e%2e/package.json'), sse: 404, pages: 404 },
  { name: 'broken percent-encoding', request: get('/%zz%ff%'), sse: 404, pages: 404 },
  { name: 'a bad closeAfter', request: get(`/events?closeAfter=${'9'.repeat(400)}`), sse: 400, pages: 404 },
];

function outcomeOf(answer: RawAnswer): Outcome {
  if (answer.streaming) return 'stream';
  return answer.status ?? 'closed';
}

interface Target {
  readonly proc: ConsoleProcess;
  readonly port: number;
  /** A stream opened before the attack, which must keep receiving. */
  readonly watcher: StreamClient;
}

async function startTarget(listener: Listener, cleanupTask: Cleanup): Promise<Target> {
  const proc = await startConsoleProcess([], { cleanup: cleanupTask });
  for (const n of [1, 2, 3]) proc.type(`send --id --data "stored ${n}"`);
  await proc.waitForLog((line) => line.type === 'sent' && line.id === 3, 'three stored events');
  const watcher = openStream(proc.ssePort, { cleanup: cleanupTask });
  await watcher.until((client) => client.events.length === 3, 'the watcher to get the replay');
  return { proc, port: listener === 'sse' ? proc.ssePort : proc.pagePort, watcher };
}

let pings = 0;
/** The console still serves others: the watcher gets a new event, and a fresh page request is answered. */
async function stillServing(target: Target): Promise<void> {
  pings += 1;
  const data = `ping ${pings}`;
  target.proc.type(`send --data "${data}"`);
  await target.watcher.until((client) => client.events.at(-1)?.data === data, `${data} at the watcher`);
  const page = await fetchOnce(`http://127.0.0.1:${target.proc.pagePort}/config.json`);
  expect(page.status).toBe(200);
}

describe.each(['sse', 'pages'] as const)('hostile requests to the %s listener', (listener) => {
  it('each gets a clean answer or is closed, one after another, and the console keeps serving', async () => {
    const target = await startTarget(listener, cleanup);
    for (const hostile of CASES) {
      const answer = await exchange(target.port, Buffer.from(hostile.request, 'latin1'));
      expect(outcomeOf(answer), hostile.name).toBe(hostile[listener]);
      await stillServing(target);
    }
    if (listener === 'sse') {
      // Replays after an unusable Last-Event-ID are whole, and the value is logged cut short and escaped.
      const unknown = target.proc.logs.filter((line) => line.type === 'unknown-last-event-id');
      expect(unknown.length).toBeGreaterThanOrEqual(5);
      for (const line of unknown) {
        // 256 columns, then the cut marker ("… (N more characters)").
        expect(line.value.length).toBeLessThanOrEqual(256 + '… (99999 more characters)'.length);
        expect(line.value).not.toMatch(/[\u0000-\u001f]/);
      }
      const replayed = target.proc.logs.filter((line) => line.type === 'replayed').map((line) => line.count);
      expect(new Set(replayed)).toEqual(new Set([3]));
    }
    expect(crashSigns(target.proc)).toEqual([]);
  }, 60_000);

  it('all of them at once, five times over, and the console keeps serving', async () => {
    const target = await startTarget(listener, cleanup);
    const all = Array.from({ length: 5 }, () => CASES).flat();
    const answers = await Promise.all(
      all.map((hostile) => exchange(target.port, Buffer.from(hostile.request, 'latin1'), { timeoutMs: 20_000 })),
    );
    answers.forEach((answer, i) => {
      const hostile = all[i] as HostileCase;
      expect(outcomeOf(answer), hostile.name).toBe(hostile[listener]);
    });
    await stillServing(target);
    expect(crashSigns(target.proc)).toEqual([]);
  }, 60_000);

  it('slowloris clients sending their headers a byte at a time do not stop others being served', async () => {
    const target = await startTarget(listener, cleanup);
    const slow: Socket[] = [];
    const timer = setInterval(() => {
      for (const socket of slow) socket.write('x');
    }, 50);
    cleanup(() => clearInterval(timer));
    for (let i = 0; i < 50; i += 1) {
      const socket = connect({ host: '127.0.0.1', port: target.port });
      socket.on('error', () => undefined);
      socket.write(`GET /events HTTP/1.1\r\n${host}X-Slow: `);
      slow.push(socket);
      cleanup(() => socket.destroy());
    }
    for (let round = 0; round < 10; round += 1) {
      await stillServing(target);
      const stream = openStream(target.proc.ssePort, { cleanup });
      await stream.until((client) => client.events.length === 3, 'a new stream to get its replay');
      stream.close();
    }
    expect(slow.every((socket) => !socket.destroyed)).toBe(true);
    expect(crashSigns(target.proc)).toEqual([]);
  }, 60_000);
});

describe('slowloris against a listener with a short headers timeout', () => {
  it('is answered 408 and cut off, while a normal stream goes on', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const reasons: string[] = [];
    sse.subscribe((event) => {
      if (event.type === 'disconnected') reasons.push(event.reason);
    });
    const server = await startSseServer(0, sse, {
      headersTimeoutMs: 500,
      requestTimeoutMs: 1000,
      connectionsCheckingIntervalMs: 50,
    });
    cleanup(async () => {
      sse.stop();
      await server.stop();
    });
    const normal = openStream(server.port, { cleanup });
    await normal.until((client) => client.status === 200, 'the normal stream');

    const trickles = Array.from({ length: 20 }, (_, i) => {
      const socket = connect({ host: '127.0.0.1', port: server.port });
      let received = '';
      let closed = false;
      socket.on('data', (data: Buffer) => {
        received += data.toString('latin1');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        closed = true;
      });
      // Half send a byte at a time; the other half send nothing at all after connecting.
      if (i % 2 === 0) socket.write('G');
      cleanup(() => socket.destroy());
      return { socket, sending: i % 2 === 0, received: () => received, closed: () => closed };
    });
    const request = `ET /events HTTP/1.1\r\n${host}X-Slow: ${'x'.repeat(200)}`;
    let at = 0;
    const timer = setInterval(() => {
      const byte = request[at % request.length] ?? 'x';
      at += 1;
      for (const trickle of trickles) {
        if (trickle.sending && !trickle.closed()) trickle.socket.write(byte);
      }
      sse.sendNewEvent({ data: `tick ${at}` });
    }, 20);
    cleanup(() => clearInterval(timer));

    await waitFor(() => trickles.every((trickle) => trickle.closed()), 'every slowloris client to be cut off', 10_000);
    clearInterval(timer);
    for (const trickle of trickles.filter((t) => t.sending)) {
      expect(trickle.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    }
    expect(normal.closed).toBe(false);
    expect(normal.events.length).toBeGreaterThan(10);
    expect(normal.events.map((event) => event.data)).toEqual(
      Array.from({ length: normal.events.length }, (_, i) => `tick ${i + 1}`),
    );
    expect(reasons).toEqual([]);
  }, 30_000);
});
