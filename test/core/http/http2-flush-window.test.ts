/**
The opt-in coalescing window (`createSse({ flushMs })`) over HTTP/2, which frames for
itself: sends from several turns, a `sendTo` between them and `stop` reach each
stream in send order, and `stop` writes what the window holds before the streams end.
*/
import { describe, expect, it } from 'vitest';
import { startTestStream, useCleanup, waitFor } from '../stream/support.js';
import { openSession, requestStream, testCredentials } from './h2-support.js';

const cleanup = useCleanup();
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createSse({ flushMs }) over HTTP/2', () => {
  it('keeps send order across turns and sendTo, and writes the window out on stop', async () => {
    const http2 = await testCredentials();
    const { sse, server } = await startTestStream(cleanup, { flushMs: 1000 }, { http2 });
    const session = openSession(server.url, cleanup);
    const a = requestStream(session, '/events');
    const b = requestStream(session, '/events');
    await waitFor(() => sse.connections.length === 2 && a.headers && b.headers, 'two streams');
    const targetId = sse.connections[0]?.id ?? 0;

    sse.sendNewEvent({ data: 'one', id: true });
    await nextTurn();
    sse.sendTo(targetId, { data: 'direct' });
    sse.sendNewEvent({ data: 'two' });
    await nextTurn();
    sse.sendNewEvent({ data: 'three' });
    sse.stop();
    await waitFor(() => a.closed && b.closed, 'both streams to end');

    // Which stream is connection #targetId is node:http2's order; the other gets no direct send.
    const [first, second] = a.text.includes('direct') ? [a, b] : [b, a];
    expect(first.text).toBe('id: 1\ndata: one\n\ndata: direct\n\ndata: two\n\ndata: three\n\n');
    expect(second.text).toBe('id: 1\ndata: one\n\ndata: two\n\ndata: three\n\n');
    expect(first.rstCode).toBe(0);
  });
});
