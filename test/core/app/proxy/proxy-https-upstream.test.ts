import { connect } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import type { ProxyReport } from '../../../../core/app/proxy/types.js';
import { encodeEvent } from '../../../../core/wire/encode-event.js';
import { exchange, fetchOnce } from '../../../reliability/support/raw-http.js';
import { openEventSource } from '../../../core/stream/support.js';
import { useCleanup, waitFor } from '../../../support/wait.js';
import {
  chunk,
  localCa,
  rawBrowser,
  rawHttpsUpstream,
  selfSigned,
  startHttpsUpstream,
  trustInThisProcess,
} from './https-upstream.js';
import { dechunk, startTestProxy, startUpstream } from './support.js';

/*
An app served over HTTPS (a dev server with a mkcert or self-signed certificate)
behind the proxy. Its stream's connection, a TLSSocket, is taken over after the head
and relayed as it came: the chunk extensions and split chunk-size lines a TLS app
writes by hand reach the browser unchanged, which node:http's decoded body could not
do (it drops extensions and re-frames), so they prove the raw relay path. The events
are judged by eventsource-parser and the `eventsource` package.
*/

const cleanup = useCleanup();

function parseEvents(payload: Buffer): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(new TextDecoder().decode(payload));
  return events;
}

const treatments = (reports: readonly ProxyReport[]): string[] =>
  reports.flatMap((r) => (r.type === 'stream-event' ? [`${r.event.data}:${r.treatment}`] : []));

async function trustedRawUpstream() {
  const ca = await localCa();
  trustInThisProcess(ca.caCert, cleanup);
  return rawHttpsUpstream(ca.server, cleanup);
}

describe('a stream from an https upstream', () => {
  it('reaches the browser byte for byte through the raw relay: chunk extensions, split size lines, UTF-8', async () => {
    const upstream = await trustedRawUpstream();
    const { port, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port, cleanup);
    await waitFor(() => upstream.sockets[0], 'the upstream stream');
    const socket = upstream.sockets[0];
    expect(socket?.encrypted).toBe(true);
    const pieces = [
      chunk(': hello over TLS\n\n'),
      chunk('id: 1\r\ndata: one\r\ndata: ünïcødé ✓\r\n\r\n', ';note=odd'),
      chunk('event: split\ndata: across'),
      chunk(' two chunks\n\n'),
      chunk(`id: 2\ndata: ${'x'.repeat(40_000)}\n\n`, ';big'),
    ];
    const cut = chunk('data: cut three ways\n\n');
    const sent = `${pieces.join('')}${cut}0\r\n\r\n`;
    // Separate TLS records: each piece, then one chunk cut in its size line and its data.
    let written = 0;
    for (const piece of pieces) {
      socket?.write(piece);
      written += Buffer.byteLength(piece);
      await waitFor(() => browser.body().length === written, 'the chunk at the browser');
    }
    // The relay passes a chunk's size line only once it is whole: the cut pieces go out one TLS record each.
    for (const piece of [cut.slice(0, 1), cut.slice(1, 9), cut.slice(9)]) {
      await new Promise((resolve) => socket?.write(piece, resolve));
    }
    socket?.end('0\r\n\r\n');
    await waitFor(() => browser.closed(), 'the end of the answer');
    expect(browser.body().equals(Buffer.from(sent))).toBe(true);
    const { payload, complete } = dechunk(browser.body());
    expect(complete).toBe(true);
    expect(parseEvents(payload).map((event) => [event.id, event.data.slice(0, 20)])).toEqual([
      ['1', 'one\nünïcødé ✓'],
      [undefined, 'across two chunks'],
      ['2', 'x'.repeat(20)],
      [undefined, 'cut three ways'],
    ]);
    await waitFor(() => reports.some((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(treatments(reports).map((t) => t.slice(-7))).toEqual([':passed', ':passed', ':passed', ':passed']);
  });

  it('a node:https app: 2,000 events of every size, UTF-8 included, arrive byte for byte and as EventSource reads them', async () => {
    const ca = await localCa();
    trustInThisProcess(ca.caCert, cleanup);
    const writes: string[] = [];
    for (let i = 1; i <= 2000; i += 1) {
      const data = `${i} ${'é✓😀x'.repeat((i * 7919) % 300)}`;
      writes.push(i % 10 === 0 ? `: comment ${i}\n\nid: ${i}\ndata: ${data}\n\n` : `id: ${i}\ndata: ${data}\n\n`);
    }
    const expected = Buffer.from(writes.join(''));
    const upstream = await startHttpsUpstream(
      ca.server,
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        for (const write of writes) res.write(write);
        res.end();
      },
      cleanup,
    );
    const { url, port, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port, cleanup);
    await waitFor(() => browser.closed(), 'the end of the answer');
    const { payload, complete } = dechunk(browser.body());
    expect(complete).toBe(true);
    expect(payload.equals(expected)).toBe(true);
    const close = await waitFor(() => reports.find((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(close).toMatchObject({ reason: 'upstream-ended', stream: { bytes: expected.length, events: 2000 } });

    const client = openEventSource(`${url}events`, cleanup);
    // The app ends the stream after its last event, and EventSource would reconnect after that.
    await waitFor(() => client.data().length >= 2000, 'every event at EventSource', 15_000);
    client.source.close();
    expect(client.data().slice(0, 2000)).toEqual(parseEvents(expected).map((event) => event.data));
  });

  it('a stream on a kept-alive TLS connection that served a page first takes the raw relay too', async () => {
    const upstream = await trustedRawUpstream();
    const { url, port } = await startTestProxy(upstream.url, cleanup);
    const page = await fetchOnce(`${url}index.html`);
    expect(page.body).toBe('page');
    const browser = rawBrowser(port, cleanup);
    await waitFor(() => upstream.sockets[0], 'the upstream stream');
    expect(upstream.connections()).toBe(1);
    const sent = chunk('id: 1\ndata: reused\n\n', ';on=reused');
    upstream.sockets[0]?.end(`${sent}0\r\n\r\n`);
    await waitFor(() => browser.closed(), 'the end of the answer');
    expect(browser.body().toString('latin1')).toBe(`${sent}0\r\n\r\n`);
  });

  it('delay, drop, pause/resume and send act mid-stream, then the raw relay resumes', async () => {
    const upstream = await trustedRawUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port, cleanup);
    await waitFor(() => upstream.sockets[0] && proxy.streams().length === 1, 'the proxied stream');
    const socket = upstream.sockets[0];
    const payloadSoFar = (): string => dechunk(browser.body()).payload.toString('utf8');

    const first = chunk('id: 1\ndata: one\n\n', ';raw=1');
    socket?.write(first);
    await waitFor(() => payloadSoFar().includes('one'), 'the first event');
    expect(browser.body().toString('latin1')).toBe(first);

    proxy.setFault(1, () => ({ drop: 1 }));
    socket?.write(chunk('id: 2\ndata: lost\n\n'));
    socket?.write(chunk('id: 3\ndata: three\n\n'));
    await waitFor(() => payloadSoFar().includes('three'), 'the event after the dropped one');

    proxy.setFault(1, () => ({ delayMs: 40 }));
    socket?.write(chunk('id: 4\ndata: late\n\n'));
    await waitFor(() => payloadSoFar().includes('late'), 'the delayed event');
    proxy.setFault(1, () => ({ delayMs: 0 }));

    proxy.setFault(1, () => ({ paused: true }));
    socket?.write(chunk('id: 5\ndata: held\n\n'));
    await waitFor(() => proxy.streams()[0]?.heldBytes === 'id: 5\ndata: held\n\n'.length, 'the held event');
    expect(payloadSoFar()).not.toContain('held');
    proxy.setFault(1, () => ({ paused: false }));
    await waitFor(() => payloadSoFar().includes('held'), 'the released event');

    expect(
      proxy.inject(1, encodeEvent({ event: 'surprise', data: 'injected' }), {
        event: 'surprise',
        data: 'injected',
        id: undefined,
        lastEventId: '',
      }),
    ).toBe(1);
    await waitFor(() => payloadSoFar().includes('injected'), 'the injected event');

    // Nothing held any more: the next chunk reaches the browser exactly as the app wrote it.
    const last = chunk('id: 6\ndata: six\n\n', ';again=raw');
    socket?.write(last);
    await waitFor(() => payloadSoFar().includes('six'), 'the event after the faults');
    expect(browser.body().toString('latin1').endsWith(last)).toBe(true);
    socket?.end('0\r\n\r\n');
    await waitFor(() => browser.closed(), 'the end of the answer');

    const { payload, complete } = dechunk(browser.body());
    expect(complete).toBe(true);
    expect(parseEvents(payload).map((event) => `${event.event ?? 'message'}:${event.data}`)).toEqual([
      'message:one',
      'message:three',
      'message:late',
      'message:held',
      'surprise:injected',
      'message:six',
    ]);
    await waitFor(() => reports.some((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(treatments(reports)).toEqual([
      'one:passed',
      'lost:dropped',
      'three:passed',
      'late:delayed',
      'held:delayed',
      'injected:injected',
      'six:passed',
    ]);
  });

  it('close ends the stream and EventSource reconnects through the proxy with Last-Event-ID', async () => {
    const ca = await localCa();
    trustInThisProcess(ca.caCert, cleanup);
    const streams: ServerResponse[] = [];
    const lastIdsSent: (string | undefined)[] = [];
    const upstream = await startHttpsUpstream(
      ca.server,
      (req, res) => {
        const after = Number(req.headers['last-event-id'] ?? 0);
        lastIdsSent.push(req.headers['last-event-id'] as string | undefined);
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.write('retry: 50\n\n');
        for (let id = after + 1; id <= after + 2; id += 1) res.write(`id: ${id}\ndata: event ${id}\n\n`);
        streams.push(res);
      },
      cleanup,
    );
    const { url, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const client = openEventSource(`${url}events`, cleanup);
    await waitFor(() => client.data().length === 2, 'the first two events');
    expect(proxy.close('all')).toBe(1);
    await waitFor(() => client.data().length === 4, 'the events after the reconnection');
    expect(client.data()).toEqual(['event 1', 'event 2', 'event 3', 'event 4']);
    expect(client.opened).toBe(2);
    expect(lastIdsSent).toEqual([undefined, '2']);
    const closes = reports.filter((r) => r.type === 'stream-close');
    expect(closes.map((r) => r.type === 'stream-close' && r.reason)).toEqual(['closed-by-console']);
    const opens = reports.flatMap((r) => (r.type === 'stream-open' ? [r.stream.lastEventIdSent] : []));
    expect(opens).toEqual([undefined, '2']);
  });

  it('a self-signed certificate, trusted itself, serves the stream', async () => {
    const credentials = await selfSigned();
    trustInThisProcess(credentials.cert, cleanup);
    const upstream = await startHttpsUpstream(
      credentials,
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.end('id: 1\ndata: self-signed\n\n');
      },
      cleanup,
    );
    const { port } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port, cleanup);
    await waitFor(() => browser.closed(), 'the end of the answer');
    expect(parseEvents(dechunk(browser.body()).payload).map((event) => event.data)).toEqual(['self-signed']);
  });

  it('a WebSocket upgrade (hot reload) passes through to the https app: the 101 and the bytes both ways', async () => {
    const ca = await localCa();
    trustInThisProcess(ca.caCert, cleanup);
    const upstream = await startHttpsUpstream(ca.server, (_req, res) => res.end(), cleanup);
    upstream.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Path: ${req.url ?? ''}\r\n\r\n`,
      );
      socket.on('data', (data: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), data])));
    });
    const { port } = await startTestProxy(upstream.url, cleanup);
    const socket = connect({ host: '127.0.0.1', port });
    cleanup(() => socket.destroy());
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      received += text;
    });
    socket.write(
      `GET /hmr HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    await waitFor(() => received.includes('\r\n\r\n'), 'the 101 answer');
    expect(received).toMatch(/^HTTP\/1\.1 101 /);
    expect(received).toContain('X-Path: /hmr');
    socket.write('ping');
    await waitFor(() => received.endsWith('echo:ping'), 'the echoed bytes');
  });

  it('a browser that stops reading pauses the https upstream', async () => {
    const ca = await localCa();
    trustInThisProcess(ca.caCert, cleanup);
    let upstreamWritten = 0;
    let upstreamWaiting = false;
    const event = Buffer.from(`data: ${'x'.repeat(64 * 1024 - 8)}\n\n`);
    const upstream = await startHttpsUpstream(
      ca.server,
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        const pump = (): void => {
          while (upstreamWritten < 256 * 1024 * 1024) {
            upstreamWritten += event.length;
            if (!res.write(event)) {
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
      },
      cleanup,
    );
    const { port, proxy } = await startTestProxy(upstream.url, cleanup);
    const socket = connect({ host: '127.0.0.1', port });
    cleanup(() => socket.destroy());
    socket.pause();
    socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    await waitFor(
      () => proxy.streams()[0]?.upstreamPaused === true && upstreamWaiting,
      'the proxy to pause its upstream and the upstream to wait',
      15_000,
    );
    expect(upstreamWritten).toBeLessThan(64 * 1024 * 1024);
    expect(proxy.streams()[0]?.bufferedBytes).toBeLessThan(32 * 1024 * 1024);
    // Reading again lets the upstream go on.
    const before = upstreamWritten;
    socket.resume();
    await waitFor(() => upstreamWritten > before + 4 * 1024 * 1024, 'the upstream writing again');
  });
  it('an upstream TLS connection that drops mid-stream cuts the browser answer, unended, and is reported', async () => {
    const upstream = await trustedRawUpstream();
    const { port, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port, cleanup);
    await waitFor(() => upstream.sockets[0], 'the upstream stream');
    upstream.sockets[0]?.write(chunk('data: before\n\n'));
    await waitFor(() => browser.body().includes('before'), 'the first event');
    upstream.sockets[0]?.destroy();
    await waitFor(() => browser.closed(), 'the browser connection cut');
    const { payload, complete } = dechunk(browser.body());
    expect(complete).toBe(false);
    expect(parseEvents(payload).map((event) => event.data)).toEqual(['before']);
    const close = await waitFor(() => reports.find((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(close).toMatchObject({
      reason: 'upstream-error',
      detail: 'the upstream closed the connection before the stream ended',
    });
  });
});

describe('an https upstream whose certificate is not trusted', () => {
  const advice = /not signed by a CA Node\.js trusts \((\w+)\); restart sse-console with NODE_EXTRA_CA_CERTS=/;

  it('a certificate from an unknown local CA (mkcert): 502 saying what to do, and the same in the report', async () => {
    const ca = await localCa();
    const upstream = await startHttpsUpstream(ca.server, (_req, res) => res.end('never'), cleanup);
    const { url, reports } = await startTestProxy(upstream.url, cleanup);
    const stream = await fetchOnce(`${url}events`, { headers: { Accept: 'text/event-stream' } });
    expect(stream.status).toBe(502);
    expect(stream.headers['content-type']).toMatch(/^text\/plain/);
    expect(stream.body).toMatch(advice);
    expect(stream.body).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
    expect(stream.body).not.toContain('--insecure');
    const page = await fetchOnce(`${url}index.html`);
    expect(page.status).toBe(502);
    expect(page.body).toMatch(advice);
    const problems = reports.flatMap((r) => (r.type === 'request' ? [r.request.problem] : []));
    expect(problems).toHaveLength(2);
    for (const problem of problems) expect(problem).toMatch(advice);
  });

  it('a self-signed certificate: the same advice, not the --insecure that only `connect` has', async () => {
    const upstream = await startHttpsUpstream(await selfSigned(), (_req, res) => res.end('never'), cleanup);
    const { url, port, reports } = await startTestProxy(upstream.url, cleanup);
    const stream = await fetchOnce(`${url}events`, { headers: { Accept: 'text/event-stream' } });
    expect(stream.status).toBe(502);
    expect(stream.body).toMatch(advice);
    expect(stream.body).toContain('(DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(stream.body).not.toContain('--insecure');
    // A WebSocket upgrade (hot reload) gets the same words.
    const upgrade = await exchange(
      port,
      `GET /hmr HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect(upgrade.status).toBe(502);
    expect(upgrade.body).toMatch(advice);
    const outcome = await waitFor(() => reports.find((r) => r.type === 'upgrade'), 'the upgrade reported');
    expect(outcome).toMatchObject({ outcome: expect.stringMatching(advice) });
  });

  it('a certificate for another host: 502 naming the hosts it is for', async () => {
    const ca = await localCa();
    trustInThisProcess(ca.caCert, cleanup);
    const upstream = await startHttpsUpstream(ca.otherHost, (_req, res) => res.end('never'), cleanup);
    const { url } = await startTestProxy(upstream.url, cleanup);
    const stream = await fetchOnce(`${url}events`, { headers: { Accept: 'text/event-stream' } });
    expect(stream.status).toBe(502);
    expect(stream.body).toContain(
      `could not connect to ${upstream.url.host}: its TLS certificate is not for 127.0.0.1 (ERR_TLS_CERT_ALTNAME_INVALID); it names DNS:app.test: give the proxy a URL with a host the certificate names`,
    );
  });

  it('an https:// URL for an app that speaks plain HTTP: 502 saying to use http://', async () => {
    const plain = await startUpstream((_req, res) => res.end('plain'), cleanup);
    const { url } = await startTestProxy(new URL(plain.url.href.replace('http:', 'https:')), cleanup);
    const stream = await fetchOnce(`${url}events`, { headers: { Accept: 'text/event-stream' } });
    expect(stream.status).toBe(502);
    expect(stream.body).toContain(
      `could not connect to ${plain.url.host}: the app answered in plain HTTP, not TLS (EPROTO): give the proxy its http:// URL`,
    );
  });
});
