import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createSse } from '../../../../core/stream/create-sse.js';
import { startSseServer } from '../../../../core/http/sse-server.js';

/** Registers a task to run after the test. */
export type Cleanup = (task: () => unknown) => void;

/** A server under test: its stream's URL. */
export interface FaultServer {
  readonly url: string;
}

/**
A well-behaved stream: the library with a heartbeat and replay, an event with an id
and the send time in its data every `everyMs`.
*/
export async function startCleanStream(cleanup: Cleanup, everyMs = 100): Promise<FaultServer> {
  const sse = createSse({ heartbeatMs: 150 });
  const server = await startSseServer(0, sse);
  const timer = setInterval(() => sse.sendNewEvent({ data: JSON.stringify({ ts: Date.now() }), id: true }), everyMs);
  cleanup(() => {
    clearInterval(timer);
    sse.stop();
    return server.stop();
  });
  return { url: `http://127.0.0.1:${server.port}/events` };
}

/** Listens on 127.0.0.1, port 0; closed (with its connections) after the test. */
async function listen(cleanup: Cleanup, handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/**
A reverse proxy that buffers as nginx does by default: the upstream's body is held
until `bufferBytes` have gathered (or the upstream ends), unless the upstream
answers with `X-Accel-Buffering: no`.
*/
export async function startBufferingProxy(
  cleanup: Cleanup,
  upstream: string,
  bufferBytes: number,
): Promise<FaultServer> {
  const port = await listen(cleanup, (request, response) => {
    const outgoing = http.get(upstream, { headers: { accept: 'text/event-stream' } }, (incoming) => {
      const passThrough = incoming.headers['x-accel-buffering'] === 'no';
      response.writeHead(incoming.statusCode ?? 502, {
        ...incoming.headers,
        server: 'nginx/1.26.0',
        via: '1.1 buffering-proxy',
      });
      response.flushHeaders();
      let held: Buffer[] = [];
      let heldBytes = 0;
      incoming.on('data', (chunk: Buffer) => {
        if (passThrough) {
          response.write(chunk);
          return;
        }
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes >= bufferBytes) {
          response.write(Buffer.concat(held));
          held = [];
          heldBytes = 0;
        }
      });
      incoming.on('end', () => response.end(Buffer.concat(held)));
    });
    request.on('close', () => outgoing.destroy());
  });
  return { url: `http://127.0.0.1:${port}/events` };
}

/** An upstream for the buffering proxy that asks not to be buffered (X-Accel-Buffering: no). */
export async function startUnbufferedStream(cleanup: Cleanup): Promise<FaultServer> {
  const port = await listen(cleanup, (request, response) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    let id = 0;
    const timer = setInterval(() => {
      id += 1;
      response.write(`id: ${id}\ndata: {"ts":${Date.now()}}\n\n`);
    }, 100);
    request.on('close', () => clearInterval(timer));
  });
  return { url: `http://127.0.0.1:${port}/events` };
}

/**
A stream compressed with gzip: `flush` false is the usual middleware mistake (the
compressor holds events until its buffer fills or the body ends); true flushes after
each event. Sends `count` events `everyMs` apart, then ends.
*/
export async function startGzipStream(
  cleanup: Cleanup,
  flush: boolean,
  count = 20,
  everyMs = 60,
): Promise<FaultServer> {
  const port = await listen(cleanup, (request, response) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'content-encoding': 'gzip',
    });
    const gzip = zlib.createGzip();
    gzip.pipe(response);
    let sent = 0;
    const timer = setInterval(() => {
      sent += 1;
      gzip.write(`data: {"ts":${Date.now()}}\n\n`);
      if (flush) gzip.flush();
      if (sent === count) {
        clearInterval(timer);
        gzip.end();
      }
    }, everyMs);
    request.on('close', () => clearInterval(timer));
  });
  return { url: `http://127.0.0.1:${port}/events` };
}

/** A plain stream of `count` events `everyMs` apart, each with its send time, that then ends (what a compressor in front holds). */
export async function startShortStream(cleanup: Cleanup, count = 20, everyMs = 60): Promise<FaultServer> {
  const port = await listen(cleanup, (request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let sent = 0;
    const timer = setInterval(() => {
      sent += 1;
      response.write(`data: {"ts":${Date.now()}}\n\n`);
      if (sent === count) {
        clearInterval(timer);
        response.end();
      }
    }, everyMs);
    request.on('close', () => clearInterval(timer));
  });
  return { url: `http://127.0.0.1:${port}/events` };
}

/** A stream behind something that cuts connections after `idleMs` without a byte (a load balancer's idle timeout). */
export async function startIdleCutStream(cleanup: Cleanup, idleMs: number): Promise<FaultServer> {
  const port = await listen(cleanup, (request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write('data: first\n\n');
    response.write('data: second\n\n');
    const cut = setTimeout(() => response.socket?.destroy(), idleMs);
    request.on('close', () => clearTimeout(cut));
  });
  return { url: `http://127.0.0.1:${port}/events` };
}

/** A stream with whatever head `headers` gives, and an event every 100 ms (its data the send time, by default). */
export async function startStreamWithHeaders(
  cleanup: Cleanup,
  headers: Readonly<Record<string, string>>,
  data: () => string = () => JSON.stringify({ ts: Date.now() }),
): Promise<FaultServer> {
  const port = await listen(cleanup, (request, response) => {
    response.writeHead(200, headers);
    const timer = setInterval(() => response.write(`data: ${data()}\n\n`), 100);
    request.on('close', () => clearInterval(timer));
  });
  return { url: `http://127.0.0.1:${port}/events` };
}

/**
A stream whose events carry ids but whose server handles Last-Event-ID wrongly:
`ignore` starts every connection with new events only (nothing replayed); `restart`
replays every stored event from the first, whatever the client had.
*/
export async function startStreamWithReplayFault(cleanup: Cleanup, fault: 'ignore' | 'restart'): Promise<FaultServer> {
  let nextId = 1;
  const stored: string[] = [];
  const clients = new Set<http.ServerResponse>();
  const timer = setInterval(() => {
    const block = `id: ${nextId}\ndata: {"ts":${Date.now()}}\n\n`;
    nextId += 1;
    stored.push(block);
    for (const client of clients) client.write(block);
  }, 100);
  cleanup(() => clearInterval(timer));
  const port = await listen(cleanup, (request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (fault === 'restart' && request.headers['last-event-id'] !== undefined) response.write(stored.join(''));
    clients.add(response);
    request.on('close', () => clients.delete(response));
  });
  return { url: `http://127.0.0.1:${port}/events` };
}
