import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_HELD_BYTES } from '../../../../core/app/proxy/proxied-stream.js';
import type { ProxyReport } from '../../../../core/app/proxy/types.js';
import { encodeEvent } from '../../../../core/wire/encode-event.js';
import { exchange } from '../../../reliability/support/raw-http.js';
import { useCleanup, waitFor } from '../../../support/wait.js';
import { startTestProxy, startUpstream } from './support.js';

const cleanup = useCleanup();

interface Reader {
  text: string;
  ended: boolean;
  res: IncomingMessage | undefined;
}

/** An EventSource-like GET through the proxy; the body text accumulates in `reader.text`. */
function readStream(port: number, headers: Record<string, string> = {}): Reader {
  const reader: Reader = { text: '', ended: false, res: undefined };
  const req = request(
    { host: '127.0.0.1', port, path: '/events', headers: { Accept: 'text/event-stream', ...headers } },
    (res) => {
      reader.res = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        reader.text += chunk;
      });
      res.on('end', () => {
        reader.ended = true;
      });
      res.on('error', () => undefined);
    },
  );
  req.on('error', () => undefined);
  req.end();
  cleanup(() => req.destroy());
  return reader;
}

/** An upstream whose /events streams are kept for the test to write to. */
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

const events = (reports: readonly ProxyReport[]) =>
  reports.flatMap((r) =>
    r.type === 'stream-event' ? [{ data: r.event.data, id: r.event.id, treatment: r.treatment }] : [],
  );

describe('proxied event streams', () => {
  it('forwards each event as it is written, and reports the stream and its events with the Last-Event-ID sent', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, reports, proxy } = await startTestProxy(upstream.url, cleanup);
    const reader = readStream(port, { 'Last-Event-ID': '41' });
    await waitFor(() => streams[0], 'the upstream stream');
    expect(upstream.requests[0]?.req.headers['last-event-id']).toBe('41');
    streams[0]?.write('id: 42\ndata: hello\n\n');
    await waitFor(() => reader.text.includes('data: hello\n\n'), 'the first event in the browser');
    streams[0]?.write('data: two\ndata: lines\n\n');
    await waitFor(() => reader.text.includes('data: lines\n\n'), 'the second event');
    expect(reader.text).toBe('id: 42\ndata: hello\n\ndata: two\ndata: lines\n\n');
    const open = reports.find((r) => r.type === 'stream-open');
    expect(open?.type === 'stream-open' && open.stream.lastEventIdSent).toBe('41');
    expect(open?.type === 'stream-open' && open.warnings).toEqual([]);
    expect(events(reports)).toEqual([
      { data: 'hello', id: '42', treatment: 'passed' },
      { data: 'two\nlines', id: undefined, treatment: 'passed' },
    ]);
    expect(proxy.streams()[0]).toMatchObject({ id: 1, events: 2, lastEventId: '42', lastEventIdSent: '41' });
  });

  it('warns about what a browser trips on: compression, no Cache-Control, a Content-Length', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip', 'Content-Length': '10' });
      res.end();
    }, cleanup);
    const { port, reports } = await startTestProxy(upstream.url, cleanup);
    readStream(port);
    const warnings = await waitFor(
      () => reports.flatMap((r) => (r.type === 'stream-open' ? [r.warnings] : []))[0],
      'the stream report',
    );
    const codes = warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['content-encoding', 'cache-control-missing', 'content-length']));
  });

  it('warns once when a stream that uses ids sends an event without one', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, reports } = await startTestProxy(upstream.url, cleanup);
    readStream(port);
    await waitFor(() => streams[0], 'the upstream stream');
    streams[0]?.write('data: before any id\n\nid: 1\ndata: one\n\ndata: no id\n\ndata: again none\n\n');
    await waitFor(() => events(reports).length === 4, 'the four events');
    const warnings = reports.flatMap((r) => (r.type === 'stream-warning' ? [r.message] : []));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^an event without an id on a stream that uses ids \(data "no id"\)/);
  });

  it('injects an event only between upstream events, never inside one', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const reader = readStream(port);
    await waitFor(() => streams[0], 'the upstream stream');
    streams[0]?.write('data: hel');
    await waitFor(() => reader.text === 'data: hel', 'the first half of an event');
    const injected = encodeEvent({ event: 'surprise', data: 'from the console' });
    expect(
      proxy.inject('all', injected, { event: 'surprise', data: 'from the console', id: undefined, lastEventId: '' }),
    ).toBe(1);
    streams[0]?.write('lo\r\n\r\ndata: next\n\n');
    await waitFor(() => reader.text.includes('data: next\n\n'), 'the next event');
    expect(reader.text).toBe('data: hello\r\n\r\nevent: surprise\ndata: from the console\n\ndata: next\n\n');
    expect(events(reports).map((e) => e.treatment)).toEqual(['passed', 'injected', 'passed']);
  });

  it('close ends the browser response and aborts the upstream request', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy } = await startTestProxy(upstream.url, cleanup);
    const reader = readStream(port);
    await waitFor(() => streams[0] && proxy.streams().length === 1, 'the proxied stream');
    let upstreamClosed = false;
    streams[0]?.on('close', () => {
      upstreamClosed = true;
    });
    expect(proxy.close(1)).toBe(1);
    await waitFor(() => reader.ended, 'the end of the browser response');
    await waitFor(() => upstreamClosed, 'the upstream request aborted');
    expect(proxy.streams()).toEqual([]);
  });

  it('respond --once answers the next stream request without asking upstream, then forwards again', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    proxy.setAnswer({ status: 503, headers: [['Retry-After', '5']], once: true });
    const refused = await exchange(
      port,
      `GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
    );
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(upstream.requests).toHaveLength(0);
    expect(reports.some((r) => r.type === 'answered' && r.status === 503)).toBe(true);
    // A page (not a stream request) is still forwarded while the answer is set.
    readStream(port);
    await waitFor(() => streams[0], 'the next stream request reaching upstream');
    expect(proxy.answer).toBeUndefined();
  });

  it('drop, pause and delay work on whole upstream events and mark each one', async () => {
    const { upstream, streams } = await streamingUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const reader = readStream(port);
    await waitFor(() => streams[0] && proxy.streams().length === 1, 'the proxied stream');
    proxy.setFault(1, () => ({ drop: 1 }));
    streams[0]?.write('id: 1\ndata: lost\n\n');
    streams[0]?.write('id: 2\ndata: kept\n\n');
    await waitFor(() => reader.text.includes('kept'), 'the event after the dropped one');
    expect(reader.text).toBe('id: 2\ndata: kept\n\n');

    proxy.setFault(1, () => ({ paused: true }));
    streams[0]?.write('id: 3\ndata: held');
    streams[0]?.write('\n\n');
    await waitFor(() => proxy.streams()[0]?.heldBytes === 'id: 3\ndata: held\n\n'.length, 'the held event');
    expect(reader.text).not.toContain('held');
    proxy.setFault(1, () => ({ paused: false }));
    await waitFor(() => reader.text.includes('data: held\n\n'), 'the released event');

    proxy.setFault(1, () => ({ delayMs: 50 }));
    streams[0]?.write('id: 4\ndata: late\n\n');
    await waitFor(() => reader.text.includes('data: late\n\n'), 'the delayed event');
    expect(events(reports).map((e) => `${e.data}:${e.treatment}`)).toEqual([
      'lost:dropped',
      'kept:passed',
      'held:delayed',
      'late:delayed',
    ]);
  });

  it('a browser that stops reading pauses its upstream: memory stays bounded', async () => {
    let upstreamWritten = 0;
    let upstreamWaiting = false;
    const chunk = Buffer.from(`data: ${'x'.repeat(64 * 1024 - 8)}\n\n`);
    const limit = 256 * 1024 * 1024;
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const pump = (): void => {
        while (upstreamWritten < limit) {
          upstreamWritten += chunk.length;
          if (!res.write(chunk)) {
            upstreamWaiting = true;
            res.once('drain', () => {
              upstreamWaiting = false;
              pump();
            });
            return;
          }
        }
      };
      pump();
    }, cleanup);
    const { port, proxy } = await startTestProxy(upstream.url, cleanup);
    // A client that sends its request and never reads a byte.
    const socket = connect({ host: '127.0.0.1', port });
    cleanup(() => socket.destroy());
    socket.pause();
    socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    // The proxy says it stopped reading the upstream, and the upstream, its buffers full, waits for drain.
    await waitFor(
      () => proxy.streams()[0]?.upstreamPaused === true && upstreamWaiting,
      'the proxy to pause its upstream and the upstream to wait',
      15_000,
    );
    // Paused, the proxy takes no more: what the upstream wrote is bounded by the buffers on the way.
    expect(upstreamWritten).toBeLessThan(64 * 1024 * 1024);
    const stream = proxy.streams()[0];
    expect(stream?.bufferedBytes).toBeLessThan(32 * 1024 * 1024);
    expect(stream?.heldBytes).toBeLessThanOrEqual(MAX_HELD_BYTES);
  });
});
