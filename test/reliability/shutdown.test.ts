import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashSigns, makeTempDir, startConsoleProcess, type ConsoleProcess } from '../support/console-process.js';
import { openStream, type StreamClient } from './support/stream-client.js';
import { inBatches, useCleanup, waitFor } from '../support/wait.js';

const cleanup = useCleanup();
const CONNECTIONS = 1000;
const BATCH = 200;

/** True if a new listener can bind 127.0.0.1:port right now. */
function canBind(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1' }, () => probe.close(() => resolve(true)));
  });
}

/** Opens `CONNECTIONS` streams in batches, each batch streaming before the next opens. */
async function openMany(proc: ConsoleProcess): Promise<StreamClient[]> {
  const clients: StreamClient[] = [];
  await inBatches(
    Array.from({ length: CONNECTIONS }, (_, i) => i),
    BATCH,
    async (batch) => {
      const opened = batch.map(() => openStream(proc.ssePort, { keepEvents: false, cleanup }));
      clients.push(...opened);
      await waitFor(
        () => opened.every((client) => client.status === 200),
        `a batch of ${batch.length} streams`,
        15_000,
      );
    },
  );
  await waitFor(() => proc.count('connected') >= CONNECTIONS, `${CONNECTIONS} connected log lines`, 15_000);
  return clients;
}

interface IdleSocket {
  readonly socket: Socket;
  answered: boolean;
  closed: boolean;
}

/**
Sockets that are not streams: keep-alive page connections after one answered request,
and requests left half-sent, on either listener. Shutdown must close these too.
*/
async function openIdle(proc: ConsoleProcess): Promise<IdleSocket[]> {
  const idle: IdleSocket[] = [];
  const open = (port: number, request: string): IdleSocket => {
    const socket = connect({ host: '127.0.0.1', port });
    const entry: IdleSocket = { socket, answered: false, closed: false };
    socket.on('data', () => {
      entry.answered = true;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      entry.closed = true;
    });
    socket.write(request);
    cleanup(() => socket.destroy());
    idle.push(entry);
    return entry;
  };
  const keepAlive = Array.from({ length: 20 }, () =>
    open(proc.pagePort, 'GET /config.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
  );
  open(proc.pagePort, 'GET /config.json HTTP/1.1\r\nHost: 127.0');
  open(proc.ssePort, 'GET /events HTTP/1.1\r\nHost: 127.0');
  await waitFor(() => keepAlive.every((entry) => entry.answered), 'the keep-alive page requests to be answered');
  return idle;
}

const endings = [
  ['quit on stdin', (proc: ConsoleProcess) => proc.type('quit')],
  ['SIGINT', (proc: ConsoleProcess) => proc.child.kill('SIGINT')],
  ['SIGTERM', (proc: ConsoleProcess) => proc.child.kill('SIGTERM')],
] as const;

describe('shutdown with 1,000 connections and running jobs', () => {
  for (const [how, end] of endings) {
    it(`${how} ends every stream, flushes the history file, exits within 2 s and frees both ports`, async () => {
      const dir = makeTempDir(cleanup);
      const file = join(dir, 'events.jsonl');
      const proc = await startConsoleProcess(['--history-file', file, '--history-limit', '100000'], { cleanup });
      const clients = await openMany(proc);
      const idle = await openIdle(proc);
      proc.type('every 10ms send --id --data "tick {n}"');
      proc.type('every 20ms comment busy');
      await proc.waitForLog((line) => line.type === 'sent' && line.data === 'tick 5', 'the job to be running');
      // Both jobs run, and neither failed or stopped.
      expect(proc.logs.filter((line) => line.type === 'job').map((line) => line.text)).toEqual([
        expect.stringMatching(/^job 1 started/),
        expect.stringMatching(/^job 2 started/),
      ]);

      const started = performance.now();
      end(proc);
      const exit = await proc.exited;
      const elapsedMs = exit.at - started;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(elapsedMs).toBeLessThan(2000);

      // Every stream was ended by the server: each client saw the end of the body.
      await waitFor(() => clients.every((client) => client.closed), 'every client socket to close', 10_000);
      const endedCleanly = clients.filter((client) => client.ended).length;
      await waitFor(() => idle.every((entry) => entry.closed), 'the idle and half-sent connections to close', 10_000);

      // The history file holds every stored event, the last one sent included.
      const sentIds = proc.logs
        .filter((line) => line.type === 'sent' && typeof line.id === 'number')
        .map((line) => line.id as number);
      const stored = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { id: number }).id);
      expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
      expect(stored.length).toBeGreaterThanOrEqual(Math.max(...sentIds));

      expect(await canBind(proc.ssePort)).toBe(true);
      expect(await canBind(proc.pagePort)).toBe(true);
      console.info(
        `shutdown (${how}): exited ${elapsedMs.toFixed(0)} ms after the request; ${endedCleanly}/${CONNECTIONS} streams ended with the final chunk, ` +
          `${stored.length} events in the history file`,
      );
      expect(endedCleanly).toBe(CONNECTIONS);
      expect(crashSigns(proc, true)).toEqual([]);
    }, 60_000);
  }
});
