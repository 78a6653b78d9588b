import { describe, expect, it } from 'vitest';
import { openEventSource, openRawStream, startTestStream, useCleanup, waitFor } from './support.js';

const cleanup = useCleanup();

const MAX_BUFFERED = 256 * 1024;
const EVENT_BYTES = 64 * 1024;
/** Enough to fill the kernel's socket buffers (a few MiB on loopback) many times over. */
const MAX_EVENTS = 800;

describe('slow clients', () => {
  it('drops a client that stops reading, while a reading client gets everything', async () => {
    const { sse, server, of } = await startTestStream(cleanup, { maxBufferedBytes: MAX_BUFFERED });
    const reader = openEventSource(`${server.url}events`, cleanup);
    await waitFor(() => reader.opened === 1, 'the reading client');
    const stalled = openRawStream(server.port, { cleanup });
    await waitFor(() => sse.connections.length === 2, 'the stalled client');
    stalled.socket.pause(); // never read again: the kernel buffers fill, then Node's
    const stalledId = sse.connections[1]?.id;

    let sent = 0;
    let peakBuffered = 0;
    while (of('disconnected').length === 0 && sent < MAX_EVENTS) {
      sent += 1;
      sse.sendNewEvent({ data: `${sent}:${'x'.repeat(EVENT_BYTES)}` });
      // Pace the sends on the reading client, so only the stalled one falls behind.
      await waitFor(() => reader.messages.length === sent, `the reader to get event ${sent}`);
      for (const connection of sse.connections) peakBuffered = Math.max(peakBuffered, connection.info().bufferedBytes);
    }

    expect(of('disconnected')).toMatchObject([{ reason: 'slow-client', info: { id: stalledId } }]);
    // Memory stays bounded: a connection never holds more than the limit.
    expect(peakBuffered).toBeLessThanOrEqual(MAX_BUFFERED);
    expect(sse.connections).toHaveLength(1);

    // The reader is unaffected and keeps receiving, in order.
    sse.sendNewEvent({ data: 'after the drop' });
    await waitFor(() => reader.messages.length === sent + 1, 'the event after the drop');
    const data = reader.data();
    const expected = Array.from({ length: sent }, (_, index) => `${index + 1}:${'x'.repeat(EVENT_BYTES)}`);
    expect(data.slice(0, sent)).toEqual(expected);
    expect(data.at(-1)).toBe('after the drop');
  });

  it('drops at once a client whose next write alone is over the limit', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { maxBufferedBytes: 1024 });
    const client = openRawStream(port, { cleanup });
    await client.until(() => sse.connections.length === 1, 'the connection');
    const sent = sse.sendNewEvent({ data: 'y'.repeat(2048) });
    expect(sent.connectionCount).toBe(1);
    await waitFor(() => of('disconnected').length === 1, 'the drop');
    expect(of('disconnected')[0]).toMatchObject({ reason: 'slow-client', info: { eventsSent: 0, bytesSent: 0 } });
    await client.until((s) => s.closed, 'the socket to close');
    expect(client.events).toEqual([]);
  });
});
