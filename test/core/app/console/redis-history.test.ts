import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRedisStores } from '../../../../core/app/console/open-redis-stores.js';
import { startConsole, type RunningConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { writeHistoryFile } from '../../../../core/index.js';
import { startRedisServer, type RedisServer } from '../../../../bench/harness/redis-server.js';
import { openRawStream, useCleanup, waitFor } from '../../stream/support.js';

// `history load FILE` and `history --channel NAME` with --redis, on a real redis-server:
// a load appends the file's events to the shared log (ids from the log), a channel
// another console opened is read and cleared from Redis, and Redis away is an error line.

const cleanup = useCleanup();

async function redisServer(): Promise<RedisServer> {
  const redis = await startRedisServer();
  cleanup(() => redis.dispose());
  return redis;
}

async function start(redis: RedisServer): Promise<{ running: RunningConsole; log: LogEntry[] }> {
  const stores = await openRedisStores(redis.url);
  cleanup(() => stores.close());
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0, stores });
  cleanup(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => log.push(entry));
  return { running, log };
}

const texts = (log: readonly LogEntry[], kind: LogEntry['kind'], from = 0): string[] =>
  log
    .slice(from)
    .filter((entry) => entry.kind === kind)
    .map((entry) => entry.text);

function recording(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sse-redis-load-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'events.json');
  writeHistoryFile(file, [
    { id: 1, data: 'one', storedAt: 1 },
    { id: 2, data: 'two', event: 'tick', storedAt: 2 },
    { id: 'app-3', data: 'three', storedAt: 3 },
  ]);
  return file;
}

const logId = /^[0-9a-f]+-\d+-\d+$/;

describe('history with --redis', () => {
  it('history load appends the file to the shared log: every console sees it, with ids from the log', async () => {
    const redis = await redisServer();
    const first = await start(redis);
    const second = await start(redis);
    const port = Number(new URL(second.running.sseUrl).port);
    const tab = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => second.running.controller.snapshot().connections.length === 1, 'the tab on console 2');

    const file = recording();
    const from = first.log.length;
    first.running.controller.execute(`history load ${file}`);
    await waitFor(() => texts(first.log, 'output', from).length > 0, 'the answer to history load');
    expect(texts(first.log, 'error', from)).toEqual([]);
    const [answer] = texts(first.log, 'output', from);
    expect(answer).toMatch(
      new RegExp(
        `^appended 3 events from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to the shared redis log, ids \\S+–\\S+; the file's own ids are not kept \\(redis assigns ids\\), and the log was not replaced`,
      ),
    );

    await tab.until((s) => s.events.length === 3, 'the loaded events at the tab of console 2');
    expect(tab.events.map((event) => [event.event ?? 'message', event.data])).toEqual([
      ['message', 'one'],
      ['tick', 'two'],
      ['message', 'three'],
    ]);
    for (const event of tab.events) expect(event.id).toMatch(logId);

    const before = second.log.length;
    second.running.controller.execute('history');
    await waitFor(() => texts(second.log, 'output', before).length >= 4, 'the history rows on console 2');
    const rows = texts(second.log, 'output', before).slice(1);
    expect(rows.map((row) => row.split(/ +/)[0])).toEqual(tab.events.map((event) => event.id));
    // Readable at 80 columns in line mode: one row per event, none wider.
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
  });

  it('history load with Redis away is an error line saying how many were written, and the console goes on', async () => {
    const redis = await redisServer();
    const { running, log } = await start(redis);
    const file = recording();
    await redis.stop();
    const from = log.length;
    running.controller.execute(`history load ${file}`);
    await waitFor(() => texts(log, 'error', from).length > 0, 'the error line', 20_000);
    expect(texts(log, 'error', from)[0]).toMatch(
      /^history load stopped: the redis store did not answer \(.+\); 0 of 3 events from .+ were written to the shared log, the other 3 were not/,
    );
    running.controller.execute('send --data "still here"');
    expect(log.some((entry) => entry.kind === 'send' && entry.text.includes('"still here"'))).toBe(true);
  }, 30_000);

  it('history --channel NAME reads and clears a channel only another console opened; an unknown one lists those in Redis', async () => {
    const redis = await redisServer();
    const first = await start(redis);
    const second = await start(redis);
    first.running.controller.execute('send --channel news --data headline --id');
    // Stored once console 1 logs it as sent from the log (with the log's id).
    await waitFor(
      () => first.log.some((entry) => entry.kind === 'send' && entry.text.includes('stored for replay')),
      'the stored send',
    );
    expect(texts(first.log, 'error')).toEqual([]);

    const { controller } = second.running;
    let from = second.log.length;
    controller.execute('history --channel news');
    await waitFor(
      () => texts(second.log, 'output', from).length >= 2 || texts(second.log, 'error', from).length > 0,
      'the channel rows on console 2',
    );
    expect(texts(second.log, 'error', from)).toEqual([]);
    expect(texts(second.log, 'output', from)[1]).toMatch(/^[0-9a-f]+-\d+-\d+ +.*headline/);

    from = second.log.length;
    controller.execute('history --channel nope');
    await waitFor(() => texts(second.log, 'error', from).length > 0, 'the no-such-channel error');
    expect(texts(second.log, 'error', from)).toEqual([
      'no channel "nope" yet (channels: news); a page at /events/nope or `send --channel nope` starts it',
    ]);

    from = second.log.length;
    controller.execute('history clear --channel news');
    await waitFor(() => texts(second.log, 'output', from).length > 0, 'the answer to the clear');
    expect(texts(second.log, 'output', from)).toEqual([
      'history of channel news cleared in redis (1 event); ids are not reused',
    ]);
    // The shared log is empty (read by console 2, which never opened the channel).
    from = second.log.length;
    controller.execute('history --channel news');
    await waitFor(() => texts(second.log, 'output', from).length > 0, 'the emptied channel');
    expect(texts(second.log, 'output', from)).toEqual(['history is empty (events sent with --id are stored here)']);
    expect(controller.snapshot().connections).toEqual([]);
    // Console 1, which follows the channel (it sent on it), sees it empty too: its feed
    // does not bring back what another process cleared.
    from = first.log.length;
    first.running.controller.execute('history --channel news');
    await waitFor(() => texts(first.log, 'output', from).length > 0, 'the emptied channel on console 1');
    expect(texts(first.log, 'output', from)).toEqual(['history is empty (events sent with --id are stored here)']);
  });
});
