import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startChildConsole } from './support/child-console.js';
import { openStream } from './support/stream-client.js';
import { useCleanup, waitFor } from '../support/wait.js';

const cleanup = useCleanup();
const MiB = 1024 * 1024;
/** The console's default limit on unsent bytes per connection (README: 8 MiB). */
const MAX_BUFFERED = 8 * MiB;

describe('a client that never reads', () => {
  it('is dropped as slow-client while 50 MB are broadcast; memory stays bounded and a reading client gets everything', async () => {
    const server = await startChildConsole({ heartbeatMs: 0 }, cleanup);
    const baseline = await server.measure();

    // The slow client sends its request and never reads a byte of the answer.
    const slow = connect({ host: '127.0.0.1', port: server.ssePort });
    slow.pause();
    slow.on('error', () => undefined);
    cleanup(() => slow.destroy());
    slow.write(
      `GET /events?who=slow HTTP/1.1\r\nHost: 127.0.0.1:${server.ssePort}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    await waitFor(async () => (await server.state()).connections === 1, 'the slow client to be connected (as #1)');

    let expected = 1;
    let outOfOrder: string | undefined;
    const reader = openStream(server.ssePort, {
      path: '/events?who=reader&pace=1',
      keepEvents: false,
      cleanup,
      onEvent(event) {
        const number = Number(event.data.slice(0, event.data.indexOf(':')));
        if (number !== expected && outOfOrder === undefined)
          outOfOrder = `event ${number} arrived when ${expected} was due`;
        expected += 1;
      },
    });
    await waitFor(async () => (await server.state()).connections === 2, 'both clients to be connected');
    expect(reader.status).toBe(200);

    const result = await server.broadcast({
      totalBytes: 50 * MiB,
      eventBytes: 64 * 1024,
      paceBytes: MiB,
      sampleEveryBytes: 2 * MiB,
    });
    expect(result.bytes).toBeGreaterThanOrEqual(50 * MiB);

    // The reader got every event, in order.
    await reader.until(() => expected - 1 === result.events, `all ${result.events} events at the reader`, 30_000);
    expect(outOfOrder).toBeUndefined();
    expect(reader.closed).toBe(false);

    // The slow one was cut off and reported, once.
    const state = await server.state();
    expect(state.connections).toBe(1);
    expect(state.lifecycle['disconnected:slow-client']).toBe(1);
    const report = state.warnings.find(
      (line) => (line.fields as { reason?: string } | undefined)?.reason === 'slow-client',
    );
    expect(report?.text).toMatch(/^#1 disconnected \(too slow/);

    // Retained memory (after full collections) never held more than the slow client's
    // allowance plus slack, though 50 MB went out; and it is given back afterwards.
    const peak = Math.max(...result.samples.map((sample) => sample.arrayBuffers + sample.heapUsed));
    const peakGrowth = peak - (baseline.arrayBuffers + baseline.heapUsed);
    const after = await server.measure();
    const afterGrowth = after.arrayBuffers + after.heapUsed - (baseline.arrayBuffers + baseline.heapUsed);
    console.info(
      `slow client: sent ${(result.bytes / MiB).toFixed(1)} MiB in ${result.events} events; ` +
        `retained heap+buffers: baseline ${(baseline.heapUsed / MiB).toFixed(1)}+${(baseline.arrayBuffers / MiB).toFixed(1)} MiB, ` +
        `peak growth ${(peakGrowth / MiB).toFixed(1)} MiB, after ${(afterGrowth / MiB).toFixed(1)} MiB; ` +
        `max unsent over all connections ${(result.maxBufferedTotal / MiB).toFixed(1)} MiB; rss ${(baseline.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB`,
    );
    expect(result.maxBufferedTotal).toBeLessThanOrEqual(MAX_BUFFERED + 2 * MiB);
    expect(peakGrowth).toBeLessThan(MAX_BUFFERED + 8 * MiB);
    expect(afterGrowth).toBeLessThan(4 * MiB);
    expect(server.stderr()).toBe('');
  }, 90_000);
});
