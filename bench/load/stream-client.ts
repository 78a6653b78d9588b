import { connect as connectH2 } from 'node:http2';
import { connect } from 'node:net';
import { nowUs } from '../harness/clock.js';
import { serveCommands, tell } from '../harness/child-ipc.js';
import { createHistogram } from '../harness/histogram.js';
import { createEventScanner, type EventScanner } from './event-scanner.js';

/*
The load generator: many raw HTTP/1.1 GET connections from one process, each
read with the minimal scanner (count events, read their send time), or with
`protocol: 'h2'` as many HTTP/2 sessions over TLS, one stream each (one client, one
connection, as for HTTP/1.1). Commands come from the runner over IPC; see the
`switch` below.
*/

interface Stream {
  /** Cuts the stream's connection. */
  readonly close: () => void;
  readonly scanner: EventScanner;
  events: number;
}

const host = '127.0.0.1';
let streams: Stream[] = [];
const latency = createHistogram();
let expected = 0;
let complete = 0;
let deliveries = 0;
let firstDeliveryUs = 0;
let lastDeliveryUs = 0;
let armedUs = 0;
let armedCpu = process.cpuUsage();
let reported = true;
/** Streams the server ended after their head (a slow-client drop would show here). */
let closedByServer = 0;
/** Deliveries past a stream's expected count (see `delivered`). */
let excess = 0;
let closingAll = false;

function requestHead(port: number, path: string, headers: Readonly<Record<string, string>>): string {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n${extra}\r\n`;
}

function summary(): Record<string, number> {
  const cpu = process.cpuUsage(armedCpu);
  const wallUs = nowUs() - armedUs;
  return {
    deliveries,
    complete,
    connections: streams.length,
    closedByServer,
    // Lost events show as a burst that never completes (or deliveredPct < 100); these
    // show the rest: duplicated (excess, or an earlier event again: out of order) and corrupted.
    excess,
    outOfOrder: streams.reduce((sum, stream) => sum + stream.scanner.outOfOrder, 0),
    malformed: streams.reduce((sum, stream) => sum + stream.scanner.malformed, 0),
    firstDeliveryUs,
    lastDeliveryUs,
    p50Us: latency.quantile(0.5),
    p99Us: latency.quantile(0.99),
    maxUs: latency.max,
    /** Share of one core the generator used since `expect`: near 1 means it may be the bottleneck. */
    cpuShare: (cpu.user + cpu.system) / wallUs,
  };
}

/**
One read buffer for every socket (`onread`): each read is scanned at once and
never kept, so no Buffer is allocated per read. This keeps the generator cheap
enough to outrun the servers.
*/
const readBuffer = Buffer.allocUnsafe(256 * 1024);
/** When the chunk being scanned arrived; every event in it was received then. */
let chunkArrivedUs = 0;

/** Opens one stream and resolves once its response head has arrived (status 200). */
/** Counts one delivery on `stream` and reports once every stream has all it expects. */
function delivered(stream: Stream, sentAtUs: number): void {
  stream.events += 1;
  if (expected === 0) return;
  if (stream.events > expected) excess += 1;
  deliveries += 1;
  latency.record(chunkArrivedUs - sentAtUs);
  if (firstDeliveryUs === 0) firstDeliveryUs = chunkArrivedUs;
  if (stream.events === expected) {
    complete += 1;
    lastDeliveryUs = chunkArrivedUs;
    if (complete === streams.length && !reported) {
      reported = true;
      tell({ type: 'delivered', ...summary() });
    }
  }
}

/** Opens one HTTP/2 session over TLS (any certificate) with one stream; resolves on its 200. */
function openH2Stream(
  port: number,
  path: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const session = connectH2(`https://${host}:${port}`, { rejectUnauthorized: false });
    const stream: Stream = { close: () => session.destroy(), scanner: createEventScanner(true), events: 0 };
    const onEvent = (sentAtUs: number): void => delivered(stream, sentAtUs);
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        session.destroy();
        reject(error);
      } else {
        resolve(stream);
      }
    };
    const timer = setTimeout(
      () => settle(new Error(`no HTTP/2 response from port ${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    session.on('connect', (_session, socket) => {
      if ('setNoDelay' in socket) socket.setNoDelay(true);
    });
    session.on('error', (error: Error) => settle(error));
    const request = session.request({ ':path': path, accept: 'text/event-stream', ...headers }, { endStream: true });
    request.on('response', (head) => {
      if (head[':status'] === 200) settle();
      else settle(new Error(`the server answered ${String(head[':status'])}, expected 200`));
    });
    request.on('data', (chunk: Buffer) => {
      chunkArrivedUs = nowUs();
      stream.scanner.feed(chunk, onEvent);
    });
    request.on('error', (error: Error) => settle(error));
    request.on('close', () => {
      if (settled && !closingAll) closedByServer += 1;
      settle(new Error('the server closed a stream before its response head'));
    });
  });
}

function openStream(
  port: number,
  path: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const onEvent = (sentAtUs: number): void => delivered(stream, sentAtUs);
    const socket = connect({
      host,
      port,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number) => {
          chunkArrivedUs = nowUs();
          stream.scanner.feed(readBuffer, onEvent, bytes);
          if (!settled && stream.scanner.headComplete) {
            if (stream.scanner.status === 200) settle();
            else settle(new Error(`the server answered ${stream.scanner.status}, expected 200`));
          }
          return true;
        },
      },
    });
    const stream: Stream = { close: () => socket.destroy(), scanner: createEventScanner(), events: 0 };
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve(stream);
      }
    };
    const timer = setTimeout(
      () => settle(new Error(`no response head from port ${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(requestHead(port, path, headers)));
    socket.on('error', (error) => settle(error));
    socket.on('close', () => {
      if (settled && !closingAll) closedByServer += 1;
      settle(new Error('the server closed a stream before its response head'));
    });
  });
}

/** Opens `count` streams, `batch` at a time, spread round-robin over `ports` (one server or several). */
async function openStreams(
  ports: readonly number[],
  path: string,
  count: number,
  batch: number,
  headers: Readonly<Record<string, string>>,
  h2: boolean,
): Promise<void> {
  const open = h2 ? openH2Stream : openStream;
  const deadline = Date.now() + 120_000;
  while (streams.length < count) {
    if (Date.now() > deadline) throw new Error(`opened only ${streams.length} of ${count} streams in 120 s`);
    const size = Math.min(batch, count - streams.length);
    const first = streams.length;
    const opened = await Promise.all(
      Array.from({ length: size }, (_, i) => open(ports[(first + i) % ports.length] ?? 0, path, headers, 30_000)),
    );
    streams.push(...opened);
  }
}

/** Opens one stream at a time and times its replay: head, first event, last expected event. */
async function probeReplay(
  port: number,
  path: string,
  headers: Readonly<Record<string, string>>,
  expectEvents: number,
  repeats: number,
) {
  const headUs: number[] = [];
  const firstEventUs: number[] = [];
  const lastEventUs: number[] = [];
  for (let round = 0; round < repeats; round += 1) {
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port });
      const scanner = createEventScanner();
      let sentUs = 0;
      let events = 0;
      const timer = setTimeout(
        () => finish(new Error(`replay probe: ${events} of ${expectEvents} events within 10 s`)),
        10_000,
      );
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve();
      };
      socket.setNoDelay(true);
      socket.on('connect', () => {
        sentUs = nowUs();
        socket.write(requestHead(port, path, headers));
      });
      socket.on('error', (error) => finish(error));
      socket.on('data', (chunk: Buffer) => {
        const now = nowUs();
        if (headUs.length === round) headUs.push(now - sentUs);
        scanner.feed(chunk, () => {
          events += 1;
          if (events === 1) firstEventUs.push(now - sentUs);
          if (events === expectEvents) {
            lastEventUs.push(now - sentUs);
            finish();
          }
        });
      });
    });
  }
  return { headUs, firstEventUs, lastEventUs };
}

serveCommands(async (message) => {
  const headers = (message.headers ?? {}) as Record<string, string>;
  switch (message.type) {
    case 'open': {
      closingAll = false;
      const started = nowUs();
      // `ports` (several servers sharing one stream) or `port`.
      const ports = Array.isArray(message.ports) ? message.ports.map(Number) : [Number(message.port)];
      await openStreams(
        ports,
        String(message.path),
        Number(message.count),
        Number(message.batch),
        headers,
        message.protocol === 'h2',
      );
      tell({ type: 'opened', count: streams.length, startedUs: started, ms: (nowUs() - started) / 1000 });
      return;
    }
    case 'expect':
      for (const stream of streams) stream.events = 0;
      expected = Number(message.events);
      complete = 0;
      deliveries = 0;
      excess = 0;
      firstDeliveryUs = 0;
      lastDeliveryUs = 0;
      latency.reset();
      armedUs = nowUs();
      armedCpu = process.cpuUsage();
      reported = false;
      tell({ type: 'armed' });
      return;
    case 'report':
      reported = true;
      tell({ type: 'report', ...summary() });
      return;
    case 'probe':
      tell({
        type: 'probed',
        ...(await probeReplay(
          Number(message.port),
          String(message.path),
          headers,
          Number(message.expectEvents),
          Number(message.repeats),
        )),
      });
      return;
    case 'close':
      closingAll = true;
      for (const stream of streams) stream.close();
      streams = [];
      expected = 0;
      closedByServer = 0;
      tell({ type: 'closed' });
      return;
    default:
      throw new Error(`unknown command "${message.type}"`);
  }
});

tell({ type: 'ready' });
