import { get, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as pollInterval } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { Proxy } from '../../../../core/app/proxy/create-proxy.js';
import type { ProxyReport } from '../../../../core/app/proxy/types.js';
import { useCleanup, waitFor } from '../../../support/wait.js';
import { startTestProxy, startUpstream } from './support.js';

const cleanup = useCleanup();

interface Reader {
  text: string;
  /** Each 'data' read the browser side got, as it came. */
  reads: string[];
  ended: boolean;
  res: IncomingMessage | undefined;
}

/** An EventSource-like GET through the proxy. */
function readStream(port: number): Reader {
  const reader: Reader = { text: '', reads: [], ended: false, res: undefined };
  const req = request({ host: '127.0.0.1', port, path: '/events', headers: { Accept: 'text/event-stream' } }, (res) => {
    reader.res = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      reader.text += chunk;
      reader.reads.push(chunk);
    });
    const ended = (): void => {
      reader.ended = true;
    };
    res.on('end', ended);
    res.on('error', ended);
    res.on('aborted', ended);
  });
  req.on('error', () => undefined);
  req.end();
  cleanup(() => req.destroy());
  return reader;
}

async function streamingUpstream() {
  const streams: ServerResponse[] = [];
  const upstream = await startUpstream((req, res) => {
    if (req.url?.startsWith('/events') !== true) {
      res.end('page');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    streams.push(res);
  }, cleanup);
  return { upstream, streams };
}

/**
How many requests the proxy has taken in: once its `handle()` returned, a request was
either sent upstream or held by `limit` (the choice is made there, synchronously).
*/
function countHandled(proxy: Proxy): () => number {
  let handled = 0;
  const handle = proxy.handle.bind(proxy);
  proxy.handle = (req, res) => {
    handle(req, res);
    handled += 1;
  };
  return () => handled;
}

/** A page's GET through the proxy, answered by the upstream: a round trip after what came before it. */
function getPage(port: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    get(`http://127.0.0.1:${port}/`, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const passedData = (reports: readonly ProxyReport[]) =>
  reports.flatMap((r) => (r.type === 'stream-event' ? [r.event.data] : []));

/**
Polls `probe` on real time without moving a fake clock: vi.waitFor (and so waitFor)
moves fake timers on by its interval at every poll, which would count quiet time the
test did not mean. node:timers/promises is not faked.
*/
async function waitOnStillClock(probe: () => unknown, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (let seen = probe(); seen === undefined || seen === false; seen = probe()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pollInterval(5);
  }
}

describe('proxy-wide faults: buffer, idle-cut, limit', () => {
  it('buffer holds output until BYTES gathered, then sends it in one write; buffer off sends what is held', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const reader = readStream(port);
    await waitFor(() => streams[0], 'the upstream stream');
    streams[0]?.write('data: 0\n\n');
    await waitFor(() => reader.text === 'data: 0\n\n', 'the first event, unbuffered');
    proxy.setShaping({ bufferBytes: 40 });
    // Nine bytes an event: four (36 bytes) stay held, the fifth makes 45 and all go at once.
    for (const n of [1, 2, 3, 4]) streams[0]?.write(`data: ${n}\n\n`);
    // The proxy has read all four: from here on, a byte it let through would already be on its way.
    await waitFor(() => proxy.streams()[0]?.heldBytes === 36, 'the four events held');
    expect(reader.text).toBe('data: 0\n\n');
    // The console logs events when the browser gets them, not when upstream sent them.
    expect(passedData(reports)).toEqual(['0']);
    const readsBefore = reader.reads.length;
    streams[0]?.write('data: 5\n\n');
    await waitFor(() => reader.text.endsWith('data: 5\n\n'), 'the burst');
    expect(reader.reads.slice(readsBefore)).toEqual(['data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\ndata: 5\n\n']);
    await waitFor(() => passedData(reports).length === 6, 'the burst logged');
    streams[0]?.write('data: 6\n\n');
    await waitFor(() => proxy.streams()[0]?.heldBytes === 9, 'the sixth event held');
    expect(reader.text.endsWith('data: 5\n\n')).toBe(true);
    proxy.setShaping({ bufferBytes: 0 });
    await waitFor(() => reader.text.endsWith('data: 6\n\n'), 'what was held, at buffer off');
    streams[0]?.write('data: 7\n\n');
    await waitFor(() => reader.text.endsWith('data: 7\n\n'), 'the next event at once');
  });

  it('buffer applies to streams opened later and sends what is held when the upstream ends', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy } = await startTestProxy(upstream.url, cleanup);
    proxy.setShaping({ bufferBytes: 1000 });
    const reader = readStream(port);
    await waitFor(() => streams[0], 'the upstream stream');
    streams[0]?.write('data: a\n\n');
    await waitFor(() => proxy.streams()[0]?.heldBytes === 9, 'the event held');
    expect(reader.text).toBe('');
    streams[0]?.end('data: b\n\n');
    await waitFor(() => reader.ended, 'the end');
    expect(reader.text).toBe('data: a\n\ndata: b\n\n');
  });

  it('idle-cut ends a stream after exactly that long without an upstream byte; bytes coming keep it open', async () => {
    // The proxy's timers on a fake clock, moved by hand only (waitOnStillClock); the sockets stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    cleanup(() => vi.useRealTimers());
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const reader = readStream(port);
    await waitOnStillClock(() => streams[0], 'the upstream stream');
    proxy.setShaping({ idleCutMs: 300 });
    // Six pings 100 ms apart: 600 ms in all, twice the idle-cut. Each one reaching the
    // browser is the proof the stream was still open.
    for (let i = 1; i <= 6; i++) {
      streams[0]?.write(': ping\n\n');
      await waitOnStillClock(() => reader.text.split(': ping').length - 1 === i, `ping ${i} through the proxy`);
      vi.advanceTimersByTime(100);
    }
    // The proxy read this comment at the clock's present time: quiet counts from here.
    streams[0]?.write(': last byte\n\n');
    await waitOnStillClock(() => reader.text.endsWith(': last byte\n\n'), 'the last comment through the proxy');
    // Fake timers fire inside advanceTimersByTime: what it did not cut is open now.
    vi.advanceTimersByTime(299);
    expect(proxy.streams()).toHaveLength(1);
    expect(reports.some((r) => r.type === 'stream-close')).toBe(false);
    vi.advanceTimersByTime(1);
    expect(proxy.streams()).toHaveLength(0);
    const closed = reports.find((r) => r.type === 'stream-close');
    expect(closed?.type === 'stream-close' && closed.reason).toBe('idle-cut');
    await waitOnStillClock(() => reader.ended, 'the cut, at the browser');
    await waitOnStillClock(() => streams[0]?.destroyed, 'the upstream request aborted');
  });

  it('idle-cut off keeps a quiet stream open', async () => {
    // The proxy's timers on a fake clock, moved by hand; the sockets stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    cleanup(() => vi.useRealTimers());
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy } = await startTestProxy(upstream.url, cleanup);
    proxy.setShaping({ idleCutMs: 200 });
    const reader = readStream(port);
    await waitFor(() => streams[0], 'the upstream stream');
    proxy.setShaping({ idleCutMs: 0 });
    vi.advanceTimersByTime(10_000);
    // Fifty idle-cuts later the stream still carries bytes (a comment: events pass the held-event queue, whose timer is fake too).
    streams[0]?.write(': later\n\n');
    await waitFor(() => reader.text.endsWith(': later\n\n'), 'a comment after the quiet');
    expect(reader.ended).toBe(false);
  });

  it('limit holds a stream request past N with no answer until a stream ends; other requests pass', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy } = await startTestProxy(upstream.url, cleanup);
    const handled = countHandled(proxy);
    proxy.setShaping({ limit: 1 });
    const first = readStream(port);
    await waitFor(() => first.res, 'the first stream');
    const second = readStream(port);
    await waitFor(() => handled() === 2, 'the second stream request taken in');
    // A page's own request is not a stream: it is never held. Its round trip through the
    // upstream starts after the second request was sent on or held, and ends after.
    expect(await getPage(port)).toBe('page');
    expect(second.res).toBeUndefined();
    expect(streams).toHaveLength(1);
    expect(proxy.close(1)).toBe(1);
    await waitFor(() => second.res, 'the second stream, once the first ended');
    expect(second.res?.statusCode).toBe(200);
    expect(streams).toHaveLength(2);
  });

  it('limit off lets the waiting stream requests through', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy } = await startTestProxy(upstream.url, cleanup);
    proxy.setShaping({ limit: 1 });
    const handled = countHandled(proxy);
    readStream(port);
    await waitFor(() => streams[0], 'the first stream');
    const second = readStream(port);
    await waitFor(() => handled() === 2, 'the second stream request taken in');
    expect(await getPage(port)).toBe('page');
    expect(second.res).toBeUndefined();
    expect(streams).toHaveLength(1);
    proxy.setShaping({ limit: 0 });
    await waitFor(() => second.res, 'the second stream');
  });
});

describe('gzip', () => {
  /** A GET through the proxy that keeps the raw (still compressed) body. */
  function readRaw(port: number) {
    const reader = { body: Buffer.alloc(0), ended: false, res: undefined as IncomingMessage | undefined };
    const req = request(
      { host: '127.0.0.1', port, path: '/events', headers: { Accept: 'text/event-stream' } },
      (res) => {
        reader.res = res;
        res.on('data', (chunk: Buffer) => {
          reader.body = Buffer.concat([reader.body, chunk]);
        });
        res.on('end', () => {
          reader.ended = true;
        });
      },
    );
    req.on('error', () => undefined);
    req.end();
    cleanup(() => req.destroy());
    return reader;
  }

  it('compresses streams opened while on, never flushing: the browser gets the events only when the stream ends', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const before = readRaw(port);
    await waitFor(() => streams[0], 'the stream opened before gzip');
    proxy.setShaping({ gzip: true });
    const reader = readRaw(port);
    await waitFor(() => reader.res, 'the compressed stream');
    expect(reader.res?.headers['content-encoding']).toBe('gzip');
    expect(before.res?.headers['content-encoding']).toBeUndefined();
    for (const n of [1, 2, 3]) streams[1]?.write(`data: ${n}\n\n`);
    streams[0]?.write('data: plain\n\n');
    await waitFor(() => before.body.toString() === 'data: plain\n\n', 'the uncompressed stream, unchanged');
    // Logged once the proxy has written them (into the compressor): nothing is on its way after that.
    await waitFor(
      () => ['1', '2', '3'].every((data) => passedData(reports).includes(data)),
      'the three events written',
    );
    // The gzip header's 10 bytes, no event: the compressor holds them.
    expect(reader.body.length).toBeLessThanOrEqual(10);
    streams[1]?.end();
    await waitFor(() => reader.ended, 'the end');
    expect(gunzipSync(reader.body).toString()).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    expect(passedData(reports)).toEqual(expect.arrayContaining(['1', '2', '3', 'plain']));
    proxy.setShaping({ gzip: false });
    const after = readRaw(port);
    await waitFor(() => after.res, 'a stream after gzip off');
    expect(after.res?.headers['content-encoding']).toBeUndefined();
  });
});

describe('rechunk', () => {
  it.each([
    ['utf8', 'data: é€\r\n\r\n', ['data: \xc3', '\xa9\xe2', '\x82\xac\r\n\r\n']],
    ['crlf', 'data: a\r\n\r\n', ['data: a\r', '\n\r', '\n']],
    ['bytes', 'data: x\n\n', ['d', 'a', 't', 'a', ':', ' ', 'x', '\n', '\n']],
  ])(
    '%s: each piece reaches the browser in a read of its own, the stream unchanged',
    async (mode, sent, latin1Reads) => {
      const { upstream, streams } = await streamingUpstream();
      const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
      const reads: Buffer[] = [];
      const req = request(
        { host: '127.0.0.1', port, path: '/events', headers: { Accept: 'text/event-stream' } },
        (res) => res.on('data', (chunk: Buffer) => reads.push(chunk)),
      );
      req.on('error', () => undefined);
      req.end();
      cleanup(() => req.destroy());
      await waitFor(() => streams[0], 'the upstream stream');
      proxy.setShaping({ rechunk: mode as 'utf8' | 'crlf' | 'bytes' });
      streams[0]?.write(sent);
      await waitFor(() => Buffer.concat(reads).equals(Buffer.from(sent)), 'the whole event');
      expect(reads.map((read) => read.toString('latin1'))).toEqual(latin1Reads);
      await waitFor(() => passedData(reports).length === 1, 'the event logged');
      expect(passedData(reports)[0]).toBe(sent.slice(6).replace(/[\r\n]+$/, ''));
      proxy.setShaping({ rechunk: 'off' });
      streams[0]?.write('data: whole\n\n');
      await waitFor(() => reads.at(-1)?.toString() === 'data: whole\n\n', 'an event in one read, rechunk off');
    },
  );
});
