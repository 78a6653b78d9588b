import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startChildConsole, type ChildConsole, type Measurement } from './support/child-console.js';
import { inBatches, useCleanup, waitFor } from '../support/wait.js';

const cleanup = useCleanup();
const MiB = 1024 * 1024;
/** Sockets open at once on each side: far below the usual `ulimit -n` of 1024. */
const BATCH = 250;

type Drop = 'before-answer' | 'reset' | 'fin';
const drops: readonly Drop[] = ['before-answer', 'reset', 'fin'];

/**
Opens one stream and drops it abruptly: right after sending the request (before the
answer), with a TCP reset once streaming, or with a FIN once streaming.
*/
function churnOne(port: number, drop: Drop): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let head = '';
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
    socket.on('data', (data: Buffer) => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.removeAllListeners('data');
      if (drop === 'reset') socket.resetAndDestroy();
      else socket.destroy();
    });
    socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`, () => {
      if (drop === 'before-answer') socket.destroy();
    });
  });
}

async function churn(server: ChildConsole, count: number): Promise<void> {
  const plan = Array.from({ length: count }, (_, i) => drops[i % drops.length] as Drop);
  await inBatches(plan, BATCH, async (batch) => {
    await Promise.all(batch.map((drop) => churnOne(server.ssePort, drop)));
  });
  await waitFor(
    async () => {
      const state = await server.state();
      return state.connections === 0 && state.lifecycle.connected === state.lifecycle.disconnected && state;
    },
    'the connection list to return to zero',
    30_000,
  );
}

function describeMeasure(label: string, m: Measurement): string {
  const resources = Object.entries(m.resources)
    .map(([kind, n]) => `${kind}×${n}`)
    .join(' ');
  return `${label}: heap ${(m.heapUsed / MiB).toFixed(2)} MiB, buffers ${(m.arrayBuffers / MiB).toFixed(2)} MiB, rss ${(m.rss / MiB).toFixed(0)} MiB, process listeners ${m.processListeners}, resources ${resources}`;
}

describe('5,000 connections opened and dropped abruptly', () => {
  it('leave no connection, socket, timer, listener or memory behind', async () => {
    const server = await startChildConsole({ heartbeatMs: 1000 }, cleanup);
    // A first round warms up lazily created state (parsers, caches) before the baseline.
    await churn(server, 300);
    const before = await server.measure();

    await churn(server, 5000);
    const state = await server.state();
    const after = await server.measure();
    console.info(`churn: ${describeMeasure('before', before)}\nchurn: ${describeMeasure('after ', after)}`);
    console.info(`churn: lifecycle ${JSON.stringify(state.lifecycle)}`);

    expect(state.connections).toBe(0);
    expect(state.lifecycle.connected).toBe(state.lifecycle.disconnected);
    // At least the answered two thirds really streamed before they were dropped.
    expect(state.lifecycle.connected).toBeGreaterThanOrEqual(Math.floor((5300 * 2) / 3));
    expect(state.warnings.filter((line) => line.kind === 'error')).toEqual([]);
    expect(after.resources).toEqual(before.resources);
    expect(after.processListeners).toBe(before.processListeners);
    // 5,000 leaked connections would hold tens of megabytes.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(2 * MiB);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(MiB);

    // And the server still serves.
    const socket = connect({ host: '127.0.0.1', port: server.ssePort });
    cleanup(() => socket.destroy());
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
    });
    socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await waitFor(() => received.startsWith('HTTP/1.1 200'), 'a stream after the churn');
    expect(server.stderr()).toBe('');
  }, 120_000);
});
