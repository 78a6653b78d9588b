import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSse } from '../../../core/stream/create-sse.js';
import { openRawStream, startTestStream, useCleanup } from './support.js';

const cleanup = useCleanup();

describe('writes per tick', () => {
  it('writes everything sent in one tick as one chunk, the same bytes to every connection', async () => {
    const { sse, port } = await startTestStream(cleanup);
    const a = openRawStream(port, { cleanup });
    const b = openRawStream(port, { cleanup });
    await a.until(() => sse.connections.length === 2, 'two connections');

    const sent = [sse.sendNewEvent({ data: 'one', id: true }), sse.sendNewEvent({ data: 'two', event: 'named' })];
    sse.sendComment('note');
    sent.push(sse.sendNewEvent({ data: 'three\nlines' }));
    // Returned at once, before anything is written.
    expect(sent.map((event) => event.connectionCount)).toEqual([2, 2, 2]);
    expect(sent[0]?.bytes.toString()).toBe('id: 1\ndata: one\n\n');

    await a.until((s) => s.events.length === 3, 'A to get three events');
    await b.until((s) => s.events.length === 3, 'B to get three events');
    expect(a.chunks).toHaveLength(1);
    expect(b.chunks).toHaveLength(1);
    expect(a.chunks[0]?.toString()).toBe(
      'id: 1\ndata: one\n\nevent: named\ndata: two\n\n: note\n\ndata: three\ndata: lines\n\n',
    );
    expect(b.chunks[0]?.equals(a.chunks[0] ?? Buffer.alloc(0))).toBe(true);

    // A later tick is a later chunk.
    sse.sendNewEvent({ data: 'four' });
    await a.until((s) => s.chunks.length === 2, 'the next chunk');
    expect(a.chunks[1]?.toString()).toBe('data: four\n\n');
    expect(sse.connections.map((connection) => connection.info().eventsSent)).toEqual([4, 4]);
  });

  it('flushes pending writes before a new connection: it neither misses nor repeats an event', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const server = createServer((req, res) => {
      if (req.url === '/race') {
        // Same tick as the new connection's registration.
        sse.sendNewEvent({ data: 'stored', id: true });
        sse.sendNewEvent({ data: 'not stored' });
      }
      void sse.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(
      () =>
        new Promise<void>((resolve) => {
          sse.stop();
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;

    const early = openRawStream(port, { path: '/', cleanup });
    await early.until(() => sse.connections.length === 1, 'the first connection');
    const late = openRawStream(port, { path: '/race', cleanup });
    await late.until(() => sse.connections.length === 2, 'the second connection');
    sse.sendNewEvent({ data: 'marker' });

    await early.until((s) => s.events.length === 3, 'three events on the first connection');
    await late.until((s) => s.events.some((event) => event.data === 'marker'), 'the marker on the second');
    expect(early.events.map((event) => event.data)).toEqual(['stored', 'not stored', 'marker']);
    expect(late.events.map((event) => event.data)).toEqual(['stored', 'marker']);
  });

  it('keeps order between broadcasts and sendTo in the same tick', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    const a = openRawStream(port, { cleanup });
    const b = openRawStream(port, { cleanup });
    await a.until(() => sse.connections.length === 2, 'two connections');
    const target = sse.connections[1]?.id ?? 0;

    sse.sendNewEvent({ data: 'first' });
    const only = sse.sendTo(target, { data: 'just for you', event: 'private' });
    sse.sendNewEvent({ data: 'last' });
    expect(only.connectionCount).toBe(1);
    expect(only.id).toBeUndefined();
    expect(of('sent').map((event) => event.to)).toEqual([undefined, target, undefined]);

    await b.until((s) => s.events.length === 3, 'B to get three events');
    await a.until((s) => s.events.length === 2, 'A to get two events');
    expect(b.events.map((event) => event.data)).toEqual(['first', 'just for you', 'last']);
    expect(a.events.map((event) => event.data)).toEqual(['first', 'last']);
    expect(sse.history).toEqual([]);
  });

  it('sendTo explains a connection that is not open', async () => {
    const { sse, port } = await startTestStream(cleanup);
    const a = openRawStream(port, { cleanup });
    await a.until(() => sse.connections.length === 1, 'one connection');
    expect(() => sse.sendTo(99, { data: 'x' })).toThrow('connection #99 is not open (open connections: #1)');
    expect(() => sse.sendTo(1, { data: 'x', id: true } as never)).toThrow(/one connection is never stored/);
  });
});
