import { sleep } from '../harness/clock.js';
import {
  stopAll,
  startLoadProcess,
  startSubjectProcess,
  type ReportMessage,
  type SubjectProcess,
} from '../harness/bench-processes.js';
import type { IpcChild, Message } from '../harness/children.js';
import { peakRssBytes, resetPeakRss, rssBytes } from '../harness/proc-stat.js';
import { startRedisServer, type RedisServer } from '../harness/redis-server.js';
import { createRecorder, type MetricSpec } from '../harness/result.js';
import type { Benchmark, BenchContext } from './benchmark.js';

/*
Reconnect storm through the Redis engine: a log of `held` events, then every client
connects at once with a Last-Event-ID `behind` events back, spread over three
processes sharing one Redis (each replays from the log), beside the same clients on
one in-memory process (replaying from its own log), in the same run. Measured: the
time from the first connect to the last client holding all it missed, and each
server process's peak resident memory during the storm.
*/

const subjects = ['in-memory', 'redis ×3'];
const metrics: MetricSpec[] = [
  { key: 'caughtUpMs', label: 'all caught up ms', digits: 0 },
  { key: 'peakRssMb', label: 'peak RSS MB (largest process)', digits: 1 },
  { key: 'growthMb', label: 'RSS growth MB (largest process)', digits: 1 },
  { key: 'totalPeakMb', label: 'peak RSS MB (all processes)', digits: 1 },
];

interface Sizes {
  readonly clients: number;
  readonly behind: number;
  readonly held: number;
  readonly size: number;
}

const mb = (bytes: number): number => bytes / (1024 * 1024);

/** Every client at once with `lastEventId`; resolves when each holds `sizes.behind` events. */
async function storm(
  servers: readonly SubjectProcess[],
  lastEventId: string,
  sizes: Sizes,
  perProcess: string[],
): Promise<Record<string, number>> {
  const pids = servers.map((server) => server.child.pid);
  let load: IpcChild | undefined;
  try {
    load = await startLoadProcess();
    const before = pids.map(rssBytes);
    const windowed = pids.every(resetPeakRss);
    await load.request({ type: 'expect', events: sizes.behind }, 'armed', 10_000);
    const opened = await load.request<Message & { startedUs: number }>(
      {
        type: 'open',
        ports: servers.map((server) => server.port),
        path: servers[0]?.path ?? '/events',
        count: sizes.clients,
        batch: sizes.clients,
        headers: { 'Last-Event-ID': lastEventId },
      },
      'opened',
      60_000,
    );
    const deadline = Date.now() + 60_000;
    let report = await load.request<ReportMessage>({ type: 'report' }, 'report', 10_000);
    while (report.complete < sizes.clients) {
      if (Date.now() > deadline) {
        throw new Error(`${report.complete} of ${sizes.clients} clients caught up within 60 s`);
      }
      await sleep(20);
      report = await load.request<ReportMessage>({ type: 'report' }, 'report', 10_000);
    }
    const peaks = pids.map(peakRssBytes);
    perProcess.push(
      peaks.map((peak, i) => `${mb(peak).toFixed(1)} (from ${mb(before[i] ?? Number.NaN).toFixed(1)})`).join(', ') +
        (windowed ? '' : ' [peak since start: the kernel refused clear_refs]'),
    );
    return {
      caughtUpMs: (report.lastDeliveryUs - opened.startedUs) / 1000,
      peakRssMb: mb(Math.max(...peaks)),
      growthMb: mb(Math.max(...peaks.map((peak, i) => peak - (before[i] ?? Number.NaN)))),
      totalPeakMb: mb(peaks.reduce((sum, peak) => sum + peak, 0)),
    };
  } finally {
    await stopAll([load]);
  }
}

/** The id of the event `behind` events before the newest, read from the log (`<epoch>-<stream id>`). */
async function redisCursor(url: string, prefix: string, held: number, behind: number): Promise<string> {
  const { createClient } = await import('redis');
  const client = createClient({ url, RESP: 2 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const key = `${prefix}stream:bench`;
    const deadline = Date.now() + 30_000;
    // The burst's publishes are asynchronous: wait until the log holds them all.
    while (Number(await client.sendCommand(['XLEN', key])) < held) {
      if (Date.now() > deadline) throw new Error(`the log did not reach ${held} events within 30 s`);
      await sleep(20);
    }
    const epoch = await client.sendCommand<string | null>(['GET', `${prefix}epoch`]);
    if (epoch === null) throw new Error(`the log has no epoch under ${prefix}epoch`);
    const entries = await client.sendCommand<[string, unknown][]>([
      'XREVRANGE',
      key,
      '+',
      '-',
      'COUNT',
      String(behind + 1),
    ]);
    const oldest = entries[behind];
    if (oldest === undefined) throw new Error(`the log holds fewer than ${behind + 1} events`);
    return `${epoch}-${oldest[0]}`;
  } finally {
    await client.close();
  }
}

export const redisStorm: Benchmark = {
  name: 'redis-storm',
  title: '10. Redis engine: reconnect storm over three processes',
  async run(context: BenchContext) {
    const sizes: Sizes = context.quick
      ? { clients: 150, behind: 100, held: 200, size: 64 }
      : { clients: 1000, behind: 1000, held: 2000, size: 64 };
    const recorder = createRecorder(subjects, metrics);
    const memoryLines: string[] = [];
    let redis: RedisServer | undefined;
    try {
      redis = await startRedisServer();
      for (let round = 0; round < context.rounds; round += 1) {
        context.progress(`redis-storm: round ${round + 1}/${context.rounds}, in-memory`);
        const single = await startSubjectProcess('sse-console', { historyLimit: sizes.held });
        const singleLines: string[] = [];
        try {
          await single.child.request({ type: 'fill', count: sizes.held, size: sizes.size }, 'filled', 60_000);
          // In-memory ids count from 1: the event `behind` before the newest is held − behind.
          const cursor = String(sizes.held - sizes.behind);
          recorder.record(round, 'in-memory', await storm([single], cursor, sizes, singleLines));
        } finally {
          await stopAll([single.child]);
        }
        memoryLines.push(`round ${round + 1} in-memory peak RSS MB: ${singleLines.join('')}`);
        context.progress(`redis-storm: round ${round + 1}/${context.rounds}, redis ×3`);
        const prefix = `storm-${round}:`;
        const shared = { redisUrl: redis.url, redisPrefix: prefix };
        const processes: SubjectProcess[] = [];
        const redisLines: string[] = [];
        try {
          for (let i = 0; i < 3; i += 1) processes.push(await startSubjectProcess('sse-console-redis', shared));
          const [first] = processes;
          if (first === undefined) throw new Error('no Redis subject process started');
          await first.child.request(
            { type: 'burst', events: sizes.held, batch: 50, size: sizes.size },
            'burst-done',
            60_000,
          );
          const cursor = await redisCursor(redis.url, prefix, sizes.held, sizes.behind);
          recorder.record(round, 'redis ×3', await storm(processes, cursor, sizes, redisLines));
        } finally {
          await stopAll(processes.map((process) => process.child));
        }
        memoryLines.push(`round ${round + 1} redis peak RSS MB per process: ${redisLines.join('')}`);
      }
    } finally {
      await redis?.dispose();
    }
    return recorder.finish(
      {
        name: this.name,
        title: this.title,
        setup: `${sizes.clients} clients connecting at once with a Last-Event-ID ${sizes.behind} events back (a log of ${sizes.held} events of ${sizes.size} B), spread over 3 processes sharing one Redis; in-memory: all on one process`,
        rounds: context.rounds,
      },
      [
        { subject: 'redis ×3', base: 'in-memory', metric: 'caughtUpMs' },
        { subject: 'redis ×3', base: 'in-memory', metric: 'peakRssMb' },
        { subject: 'redis ×3', base: 'in-memory', metric: 'totalPeakMb' },
      ],
      [],
      [
        'all caught up = first connect to the last client holding every missed event, on the machine-wide monotonic clock',
        'peak RSS is VmHWM, its window started just before the storm; growth is that peak over the RSS just before',
        ...memoryLines,
      ],
    );
  },
};
