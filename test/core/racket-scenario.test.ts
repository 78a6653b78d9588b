/**
The Racket SSE README, step by step, with the `eventsource` npm client as the
browser tab: sends without an id reach only open connections; sends with `id: true`
are stored and replayed to later connections; a reconnect with Last-Event-ID gets
only the later ids.
*/
import { describe, expect, it } from 'vitest';
import { openEventSource, startTestStream, useCleanup, waitFor } from './stream/support.js';

const cleanup = useCleanup();

describe('Racket README scenario', () => {
  it('stores id events for replay and forgets the others', async () => {
    const { sse, server, of } = await startTestStream(cleanup, { retryMs: 50 });
    const url = `${server.url}events`;

    // Tab A is open.
    const a = openEventSource(url, cleanup);
    await waitFor(() => a.opened === 1 && sse.connections.length === 1, 'tab A to open');

    // (send-new-event a-sse #:data "Hello World!") — A gets it.
    const first = sse.sendNewEvent({ data: 'Hello World!' });
    expect(first.id).toBeUndefined();
    expect(first.connectionCount).toBe(1);
    await waitFor(() => a.data().length === 1, 'A to receive the first event');
    expect(a.data()).toEqual(['Hello World!']);
    expect(sse.history).toEqual([]);

    // Tab B opens later: it does not get "Hello World!".
    const b = openEventSource(url, cleanup);
    await waitFor(() => b.opened === 1 && sse.connections.length === 2, 'tab B to open');

    // (send-new-event a-sse #:data "Hello World! (again)" #:id #t) — both get it.
    const again = sse.sendNewEvent({ data: 'Hello World! (again)', id: true });
    expect(again.id).toBe(1);
    expect(again.connectionCount).toBe(2);
    await waitFor(() => a.data().length === 2 && b.data().length === 1, 'A and B to receive the id event');
    expect(a.data()).toEqual(['Hello World!', 'Hello World! (again)']);
    expect(b.data()).toEqual(['Hello World! (again)']);
    expect(b.messages[0]?.lastEventId).toBe('1');

    // Tab C opens now and gets only the stored event, replayed.
    const c = openEventSource(url, cleanup);
    await waitFor(() => c.data().length === 1, 'C to receive the replay');
    expect(c.data()).toEqual(['Hello World! (again)']);
    expect(of('replayed').at(-1)).toMatchObject({ count: 1, firstId: 1, lastId: 1 });

    // Two more stored events, then C's connection is hung up: the client reconnects
    // by itself with Last-Event-ID 3 and receives only what comes after.
    sse.sendNewEvent({ data: 'two', id: true });
    sse.sendNewEvent({ data: 'three', id: true });
    await waitFor(() => c.data().length === 3, 'C to receive two and three');
    const cId = sse.connections.at(-1)?.id ?? 0;
    sse.close(cId);
    sse.sendNewEvent({ data: 'four', id: true }); // sent while C is away
    await waitFor(
      () => sse.connections.some((connection) => connection.info().lastEventIdRequested === '3'),
      'C to reconnect with Last-Event-ID 3',
    );
    await waitFor(() => c.data().length === 4, 'C to receive the missed event');
    expect(c.data()).toEqual(['Hello World! (again)', 'two', 'three', 'four']);
    expect(of('replayed').at(-1)).toMatchObject({ count: 1, firstId: 4, lastId: 4 });
    expect(of('disconnected').map((event) => event.reason)).toEqual(['server-closed']);
    expect(sse.history.map((record) => record.data)).toEqual(['Hello World! (again)', 'two', 'three', 'four']);
  });
});
