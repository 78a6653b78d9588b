/**
Memory per client holds for the replay too: a new connection is sent the stored
events from the log as its socket drains, so a client that never reads holds one
slice of the log, not a copy of it; live events wait behind the replay, in order,
within the slow-client limit.
*/
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChildConsole } from './support/child-console.js';
import { makeTempDir } from '../support/console-process.js';
import { openStream } from './support/stream-client.js';
import { useCleanup, waitFor } from '../support/wait.js';

const cleanup = useCleanup();
const MiB = 1024 * 1024;
const STORED = 48;
const STORED_BYTES = 512 * 1024; // 24 MiB of stored events in all
const NEVER_READING = 12;

describe('replay to clients that do not read', () => {
  it('holds a slice per client instead of a copy of the log, keeps live events in order behind the replay, and still drops slow clients', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    const padding = 'r'.repeat(STORED_BYTES);
    writeFileSync(
      file,
      Array.from(
        { length: STORED },
        (_, i) => `${JSON.stringify({ id: i + 1, data: `stored ${i + 1}:${padding}`, storedAt: 0 })}\n`,
      ).join(''),
    );
    const server = await startChildConsole({ historyFile: file, heartbeatMs: 0 }, cleanup);
    const baseline = await server.measure();

    // Clients that send their request and never read a byte of the answer.
    for (let i = 0; i < NEVER_READING; i += 1) {
      const socket = connect({ host: '127.0.0.1', port: server.ssePort });
      socket.pause();
      socket.on('error', () => undefined);
      cleanup(() => socket.destroy());
      socket.write(`GET /events?who=stalled HTTP/1.1\r\nHost: 127.0.0.1:${server.ssePort}\r\n\r\n`);
    }
    await waitFor(async () => (await server.state()).connections === NEVER_READING, 'the stalled clients to connect');
    const stalled = await server.measure();
    const growth = stalled.arrayBuffers + stalled.heapUsed - (baseline.arrayBuffers + baseline.heapUsed);
    console.info(
      `replay: ${NEVER_READING} stalled clients on a ${((STORED * STORED_BYTES) / MiB).toFixed(0)} MiB log: ` +
        `retained heap+buffers grew ${(growth / MiB).toFixed(1)} MiB; rss ${(baseline.rss / MiB).toFixed(0)} → ${(stalled.rss / MiB).toFixed(0)} MiB`,
    );
    // Less than one copy of the log for all of them together.
    expect(growth).toBeLessThan((STORED * STORED_BYTES) / 2);

    // A client that stops reading during its replay gets the replay, then the live events, in order.
    const order: string[] = [];
    const reader = openStream(server.ssePort, {
      path: '/events?pace=1',
      keepEvents: false,
      cleanup,
      onEvent: (event) =>
        order.push(
          event.id === '' || event.id === undefined
            ? `live ${event.data.slice(0, event.data.indexOf(':'))}`
            : `id ${event.id}`,
        ),
    });
    reader.socket.pause();
    await waitFor(async () => (await server.state()).connections === NEVER_READING + 1, 'the reader to connect');
    const live = await server.broadcast({
      totalBytes: 2 * MiB,
      eventBytes: 64 * 1024,
      paceBytes: MiB,
      sampleEveryBytes: MiB,
    });
    reader.socket.resume();
    await reader.until(
      () => order.length === STORED + live.events,
      `${STORED} replayed and ${live.events} live events`,
      30_000,
    );
    expect(order).toEqual([
      ...Array.from({ length: STORED }, (_, i) => `id ${i + 1}`),
      ...Array.from({ length: live.events }, (_, i) => `live ${i + 1}`),
    ]);

    // Live events past the slow-client limit drop the stalled clients, not the console.
    await server.broadcast({ totalBytes: 12 * MiB, eventBytes: 64 * 1024, paceBytes: MiB, sampleEveryBytes: 4 * MiB });
    const state = await server.state();
    expect(state.lifecycle['disconnected:slow-client']).toBe(NEVER_READING);
    expect(state.connections).toBe(1);
    expect(server.stderr()).toBe('');
  }, 90_000);
});
