import { connect, createServer, type Socket } from 'node:net';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { encodeEvent } from '../../../../core/wire/encode-event.js';
import type { ProxyReport } from '../../../../core/app/proxy/types.js';
import { useCleanup, waitFor } from '../../../support/wait.js';
import { dechunk, startTestProxy } from './support.js';

/*
While no fault is active the proxy relays an upstream's chunked body as it came, HTTP
framing and all; a fault or an injection switches it to its own framing at the end of
an upstream chunk and an event, and back once nothing is held. Judged on the raw
bytes of the browser's socket: the chunked framing strictly, the events with
eventsource-parser, an independent parser.
*/

const cleanup = useCleanup();

const HEAD =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n';

/** An upstream written by hand: each stream request gets HEAD, then whatever the test writes raw. */
async function rawUpstream() {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.write(HEAD);
        sockets.push(socket);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { url: new URL(`http://127.0.0.1:${address.port}/`), sockets };
}

/** A browser on a raw socket: every byte of the proxy's answer is kept. */
function rawBrowser(port: number): { bytes: () => Buffer; closed: () => boolean } {
  const received: Buffer[] = [];
  let closed = false;
  const socket = connect({ port, host: '127.0.0.1' });
  socket.write(
    `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`,
  );
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => undefined);
  cleanup(() => socket.destroy());
  return { bytes: () => Buffer.concat(received), closed: () => closed };
}

/** The body after the head. */
function bodyOf(answer: Buffer): Buffer {
  const end = answer.indexOf('\r\n\r\n');
  if (end === -1) return Buffer.alloc(0);
  return answer.subarray(end + 4);
}

function parseEvents(payload: Buffer): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(new TextDecoder().decode(payload));
  return events;
}

const chunk = (text: string, extension = ''): string =>
  `${Buffer.byteLength(text).toString(16).toUpperCase()}${extension}\r\n${text}\r\n`;

const reported = (reports: readonly ProxyReport[]): string[] =>
  reports.flatMap((r) => (r.type === 'stream-event' ? [`${r.event.data}:${r.treatment}`] : []));

describe('the proxy relays a stream as it came while no fault is active', () => {
  it('passes odd but valid framing byte for byte: BOM, CRLF, comments, multi-line data, chunk extensions, split chunks', async () => {
    const upstream = await rawUpstream();
    const { port, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port);
    await waitFor(() => upstream.sockets[0], 'the upstream stream');
    await waitFor(() => browser.bytes().includes('\r\n\r\n'), 'the head at the browser');
    const socket = upstream.sockets[0];
    const pieces = [
      chunk('\uFEFF: a comment first\r\n\r\n'),
      chunk('id: 1\r\ndata: line one\r\ndata: line two\r\n\r\n', ';note=odd'),
      chunk('event: split\ndata: across'),
      chunk(' two chunks\n\n'),
      chunk('data: cr only\r\rretry: 3000\n\n'),
    ];
    const sent = pieces.join('');
    // One chunk cut in the middle of its size line and of its data, in separate reads.
    const cut = chunk('data: cut three ways\n\n');
    for (const piece of [...pieces, cut.slice(0, 1), cut.slice(1, 9), cut.slice(9)]) {
      socket?.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    socket?.end('0\r\n\r\n');
    await waitFor(() => browser.closed(), 'the end of the answer');
    const body = bodyOf(browser.bytes());
    expect(body.toString('latin1')).toBe(Buffer.from(`${sent}${cut}0\r\n\r\n`).toString('latin1'));
    const { payload, complete } = dechunk(body);
    expect(complete).toBe(true);
    expect(parseEvents(payload).map((event) => event.data)).toEqual([
      'line one\nline two',
      'across two chunks',
      'cr only',
      'cut three ways',
    ]);
    await waitFor(() => reports.some((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(reported(reports)).toEqual([
      'line one\nline two:passed',
      'across two chunks:passed',
      'cr only:passed',
      'cut three ways:passed',
    ]);
    expect(
      reports.filter((r) => r.type === 'stream-comment').map((r) => r.type === 'stream-comment' && r.text),
    ).toEqual(['a comment first']);
  });

  it('a fault switched on inside an event takes effect at the next event boundary, then the stream relays again', async () => {
    const upstream = await rawUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port);
    await waitFor(() => upstream.sockets[0] && proxy.streams().length === 1, 'the proxied stream');
    const socket = upstream.sockets[0];
    const payloadSoFar = (): string => dechunk(bodyOf(browser.bytes())).payload.toString('latin1');

    socket?.write(chunk('data: one\n\ndata: tw'));
    await waitFor(() => payloadSoFar().endsWith('data: tw'), 'half an event at the browser');
    proxy.setFault(1, () => ({ drop: 1 }));
    socket?.write(chunk('o\n\ndata: three\n\n'));
    socket?.write(chunk('data: four\n\n'));
    await waitFor(() => payloadSoFar().includes('four'), 'the event after the dropped one');

    // An injection while the browser has part of an upstream chunk: it waits for the chunk and the event.
    const five = chunk('data: five\n\n');
    socket?.write(five.slice(0, 8));
    await waitFor(() => payloadSoFar().endsWith('data:'), 'part of a chunk at the browser');
    proxy.inject('all', encodeEvent({ data: 'injected' }), {
      event: 'message',
      data: 'injected',
      id: undefined,
      lastEventId: '',
    });
    socket?.write(five.slice(8));
    await waitFor(() => payloadSoFar().includes('injected'), 'the injected event');

    // Nothing held any more: the next upstream chunk reaches the browser exactly as sent.
    const six = chunk('data: six\n\n', ';again=raw');
    socket?.write(six);
    await waitFor(() => payloadSoFar().includes('six'), 'the event after the faults');
    expect(bodyOf(browser.bytes()).toString('latin1').endsWith(six)).toBe(true);
    socket?.end('0\r\n\r\n');
    await waitFor(() => browser.closed(), 'the end of the answer');

    const { payload, complete } = dechunk(bodyOf(browser.bytes()));
    expect(complete).toBe(true);
    expect(parseEvents(payload).map((event) => event.data)).toEqual(['one', 'two', 'four', 'five', 'injected', 'six']);
    await waitFor(() => reports.some((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(reported(reports)).toEqual([
      'one:passed',
      'two:passed',
      'three:dropped',
      'four:passed',
      'five:passed',
      'injected:injected',
      'six:passed',
    ]);
  });

  it('pause switched on inside an upstream chunk holds from the next whole event; resume releases it, framing intact', async () => {
    const upstream = await rawUpstream();
    const { port, proxy, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port);
    await waitFor(() => upstream.sockets[0] && proxy.streams().length === 1, 'the proxied stream');
    const socket = upstream.sockets[0];
    const payloadSoFar = (): string => dechunk(bodyOf(browser.bytes())).payload.toString('latin1');
    const first = chunk('data: a\n\ndata: b\n\n');
    socket?.write(first.slice(0, 20));
    await waitFor(() => payloadSoFar().endsWith('data: b'), 'part of a chunk at the browser');
    proxy.setFault(1, () => ({ paused: true }));
    socket?.write(first.slice(20));
    socket?.write(chunk('data: c\n\n'));
    await waitFor(() => proxy.streams()[0]?.heldBytes === 'data: c\n\n'.length, 'the held event');
    expect(payloadSoFar()).toBe('data: a\n\ndata: b\n\n');
    proxy.setFault(1, () => ({ paused: false }));
    await waitFor(() => payloadSoFar().includes('data: c'), 'the released event');
    socket?.end('0\r\n\r\n');
    await waitFor(() => browser.closed(), 'the end of the answer');
    const { payload, complete } = dechunk(bodyOf(browser.bytes()));
    expect(complete).toBe(true);
    expect(parseEvents(payload).map((event) => event.data)).toEqual(['a', 'b', 'c']);
    await waitFor(() => reports.some((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(reported(reports)).toEqual(['a:passed', 'b:passed', 'c:delayed']);
  });

  it('an upstream chunk that breaks HTTP framing cuts the browser answer and is reported', async () => {
    const upstream = await rawUpstream();
    const { port, reports } = await startTestProxy(upstream.url, cleanup);
    const browser = rawBrowser(port);
    await waitFor(() => upstream.sockets[0], 'the upstream stream');
    upstream.sockets[0]?.write(`${chunk('data: fine\n\n')}5\r\ndata: too long\r\n`);
    await waitFor(() => browser.closed(), 'the browser connection cut');
    expect(parseEvents(dechunk(bodyOf(browser.bytes())).payload).map((event) => event.data)).toEqual(['fine']);
    const close = await waitFor(() => reports.find((r) => r.type === 'stream-close'), 'the stream reported closed');
    expect(close).toMatchObject({ reason: 'upstream-error', detail: expect.stringContaining('chunked body') });
  });
});
