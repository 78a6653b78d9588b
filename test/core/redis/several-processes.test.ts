import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../../bench/harness/redis-server.js';
import { useCleanup } from '../../support/wait.js';
import { openRawStream, type RawStream } from '../stream/support.js';
import { startRedisProcess, type RedisProcess } from './support.js';

/*
Three real server processes on one Redis: clients on each, events sent on each. The
judge is the raw stream client (eventsource-parser): what each client received, in order.
*/

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.dispose();
}, 60_000);

const cleanup = useCleanup();
let prefixes = 0;

async function startThree(channel: string): Promise<RedisProcess[]> {
  const prefix = `procs-${++prefixes}:`;
  return Promise.all([0, 1, 2].map(() => startRedisProcess({ url: redis.url, channel, prefix }, cleanup, SLOW_MS)));
}

/** Three processes start in seconds on an idle machine, far slower on a loaded one. */
const SLOW_MS = 120_000;

const dataOf = (client: RawStream): string[] => client.events.map((event) => event.data);

describe('three processes on one Redis', () => {
  it(
    'every client on every process gets every event once, in one order, with the same ids',
    { timeout: SLOW_MS },
    async () => {
      const processes = await startThree('news');
      const clients = processes.flatMap((process) => [
        openRawStream(process.port, { path: '/events', cleanup }),
        openRawStream(process.port, { path: '/events', cleanup }),
      ]);
      await Promise.all(clients.map((client) => client.until((c) => c.status === 200, 'the stream open')));
      // Sends on all three at once, interleaved: the log decides one order.
      const sent: Promise<string>[] = [];
      for (let round = 0; round < 20; round += 1) {
        processes.forEach((process, index) => sent.push(process.publish(`p${index}-${round}`)));
      }
      const ids = await Promise.all(sent);
      expect(new Set(ids).size).toBe(60);
      for (const client of clients) {
        await client.until((c) => c.events.length >= 60, 'all 60 events', 30_000);
      }
      const order = dataOf(clients[0] as RawStream);
      expect(new Set(order).size).toBe(60);
      for (const client of clients) {
        expect(dataOf(client)).toEqual(order);
        expect(client.events.map((event) => event.id)).toEqual(
          (clients[0] as RawStream).events.map((event) => event.id),
        );
      }
      // Each process's own sends keep their call order within the log's order.
      for (const index of [0, 1, 2]) {
        const own = order.filter((data) => data.startsWith(`p${index}-`));
        expect(own).toEqual(Array.from({ length: 20 }, (_, round) => `p${index}-${round}`));
      }
      // Ids are the log's, increasing in the order sent.
      const streamIds = (clients[0] as RawStream).events.map((event) =>
        String(event.id).split('-').slice(1).map(BigInt),
      );
      for (let index = 1; index < streamIds.length; index += 1) {
        const [ms = 0n, seq = 0n] = streamIds[index] ?? [];
        const [prevMs = 0n, prevSeq = 0n] = streamIds[index - 1] ?? [];
        expect(ms > prevMs || (ms === prevMs && seq > prevSeq)).toBe(true);
      }
    },
  );

  it(
    'a client moves from a process killed with kill -9 to another with its Last-Event-ID: no gap, no duplicate',
    { timeout: SLOW_MS },
    async () => {
      const [first, second, third] = await startThree('moving');
      if (first === undefined || second === undefined || third === undefined) throw new Error('three processes');
      const before = openRawStream(first.port, { path: '/events', cleanup });
      await before.until((c) => c.status === 200, 'the stream open');
      // Written by the process about to be killed: in the log once publish resolved.
      for (let index = 0; index < 10; index += 1) await first.publish(`e${index}`);
      await before.until((c) => c.events.length === 10, 'e0..e9 on the first process');
      await first.kill();
      // Written while the client has no connection, on the other processes; some still
      // arrive while it replays on the second one.
      for (let index = 10; index < 20; index += 1) await third.publish(`e${index}`);
      const lastEventId = before.events.at(-1)?.id ?? '';
      const after = openRawStream(second.port, { path: '/events', headers: { 'Last-Event-ID': lastEventId }, cleanup });
      const during = Array.from({ length: 10 }, (_, offset) => second.publish(`e${20 + offset}`));
      await Promise.all(during);
      // Last in the log, so delivered after any duplicate of an earlier event: once it is
      // in, nothing earlier can still come.
      await second.publish('end');
      await after.until((c) => c.events.some((event) => event.data === 'end'), 'the end marker', 30_000);
      expect(dataOf(after)).toEqual([...Array.from({ length: 20 }, (_, offset) => `e${10 + offset}`), 'end']);
      expect(after.events.some((event) => event.event === 'reset')).toBe(false);
      const fresh = openRawStream(third.port, { path: '/events', cleanup });
      await fresh.until((c) => c.events.length >= 31, 'the whole log on the third process', 30_000);
      expect(dataOf(fresh)).toEqual([...Array.from({ length: 30 }, (_, index) => `e${index}`), 'end']);
    },
  );
});

describe('the hand-over from replay to live delivery', () => {
  it(
    'clients joining with a Last-Event-ID while events pour in from another process see each event once, in order',
    { timeout: SLOW_MS },
    async () => {
      const [writer, reader] = await startThree('pouring');
      if (writer === undefined || reader === undefined) throw new Error('processes');
      const first = await writer.publish('n0');
      let writing = true;
      const written = (async () => {
        let count = 1;
        while (writing && count < 400) await writer.publish(`n${count++}`);
        return count;
      })();
      const joined: RawStream[] = [];
      for (let index = 0; index < 8; index += 1) {
        joined.push(openRawStream(reader.port, { path: '/events', headers: { 'Last-Event-ID': first }, cleanup }));
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      writing = false;
      const total = await written;
      // Last in the log, so delivered after any duplicate of an earlier event.
      await writer.publish('end');
      for (const client of joined) {
        await client.until((c) => c.events.some((event) => event.data === 'end'), `n1..n${total - 1}, end`, 30_000);
      }
      const expected = [...Array.from({ length: total - 1 }, (_, index) => `n${index + 1}`), 'end'];
      for (const client of joined) expect(dataOf(client)).toEqual(expected);
    },
  );
});
