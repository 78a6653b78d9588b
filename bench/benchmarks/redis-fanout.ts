import {
  stopAll,
  startLoadProcess,
  startSubjectProcess,
  waitForConnections,
  type ReportMessage,
  type SubjectProcess,
} from '../harness/bench-processes.js';
import type { IpcChild, Message } from '../harness/children.js';
import { cpuMs } from '../harness/proc-stat.js';
import { startRedisServer, type RedisServer } from '../harness/redis-server.js';
import { createRecorder, loadKeptUp, type MetricSpec } from '../harness/result.js';
import type { Benchmark, BenchContext } from './benchmark.js';

/*
Fan-out through the Redis engine: three processes sharing one Redis, N clients on
each, a burst sent on the first (every process sends it when its feed reads it),
beside one in-memory process with the same 3 × N clients, in the same run. One load
generator reads every client in both cases.
*/

const subjects = ['in-memory', 'redis ×3'];
const metrics: MetricSpec[] = [
  { key: 'deliveriesPerSec', label: 'deliveries/s', digits: 0 },
  { key: 'p99Ms', label: 'p99 ms', digits: 1 },
  { key: 'elapsedMs', label: 'burst ms', digits: 0 },
  { key: 'cpuUsPerDelivery', label: 'server CPU µs/delivery', digits: 2 },
  { key: 'redisCpuMs', label: 'redis-server CPU ms', digits: 0 },
  { key: 'loadCpu', label: 'load CPU %', digits: 0 },
];

interface Sizes {
  readonly perProcess: number;
  readonly events: number;
  readonly warmupEvents: number;
  readonly batch: number;
  readonly size: number;
}

/** A burst of `events` sent on `sender`, until every client of the load has them all; CPU summed over `servers`. */
async function deliverBurst(
  sender: SubjectProcess,
  servers: readonly number[],
  redisPid: number | undefined,
  load: IpcChild,
  sizes: Sizes,
  events: number,
) {
  await load.request({ type: 'expect', events }, 'armed', 10_000);
  const serverCpu = (): number => servers.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const cpuBefore = serverCpu();
  const redisBefore = redisPid === undefined ? 0 : cpuMs(redisPid);
  const delivered = load.next<ReportMessage>('delivered', 120_000);
  delivered.catch(() => undefined);
  const sent = await sender.child.request<Message & { firstSendUs: number }>(
    { type: 'burst', events, batch: sizes.batch, size: sizes.size },
    'burst-done',
    120_000,
  );
  const report = await delivered;
  const cpuUsed = serverCpu() - cpuBefore;
  const redisUsed = redisPid === undefined ? 0 : cpuMs(redisPid) - redisBefore;
  const elapsedUs = report.lastDeliveryUs - sent.firstSendUs;
  return {
    deliveriesPerSec: (report.deliveries / elapsedUs) * 1e6,
    p99Ms: report.p99Us / 1000,
    elapsedMs: elapsedUs / 1000,
    cpuUsPerDelivery: (cpuUsed * 1000) / report.deliveries,
    redisCpuMs: redisUsed,
    loadCpu: report.cpuShare * 100,
  };
}

/** Clients spread evenly over `servers` (3 × perProcess in all), a warm-up burst, then the measured one. */
async function measure(
  servers: readonly SubjectProcess[],
  redisPid: number | undefined,
  sizes: Sizes,
): Promise<Record<string, number>> {
  const [sender] = servers;
  if (sender === undefined) throw new Error('redis-fanout needs at least one server');
  const total = sizes.perProcess * 3;
  let load: IpcChild | undefined;
  try {
    load = await startLoadProcess();
    await load.request(
      { type: 'open', ports: servers.map((server) => server.port), path: sender.path, count: total, batch: 100 },
      'opened',
      130_000,
    );
    for (const server of servers) await waitForConnections(server, total / servers.length, 20_000);
    const pids = servers.map((server) => server.child.pid);
    await deliverBurst(sender, pids, redisPid, load, sizes, sizes.warmupEvents);
    return await deliverBurst(sender, pids, redisPid, load, sizes, sizes.events);
  } finally {
    await stopAll([load]);
  }
}

export const redisFanout: Benchmark = {
  name: 'redis-fanout',
  title: '9. Redis engine: fan-out over three processes',
  async run(context: BenchContext) {
    const sizes: Sizes = context.quick
      ? { perProcess: Math.min(100, context.redisConnections), events: 50, warmupEvents: 10, batch: 10, size: 64 }
      : { perProcess: context.redisConnections, events: 200, warmupEvents: 20, batch: 10, size: 64 };
    const recorder = createRecorder(subjects, metrics);
    let redis: RedisServer | undefined;
    try {
      redis = await startRedisServer();
      for (let round = 0; round < context.rounds; round += 1) {
        context.progress(
          `redis-fanout: round ${round + 1}/${context.rounds}, in-memory (${sizes.perProcess * 3} clients)`,
        );
        const single = await startSubjectProcess('sse-console');
        try {
          recorder.record(round, 'in-memory', await measure([single], undefined, sizes));
        } finally {
          await stopAll([single.child]);
        }
        context.progress(
          `redis-fanout: round ${round + 1}/${context.rounds}, redis ×3 (${sizes.perProcess} clients each)`,
        );
        const shared = { redisUrl: redis.url, redisPrefix: `fanout-${round}:` };
        const processes: SubjectProcess[] = [];
        try {
          for (let i = 0; i < 3; i += 1) processes.push(await startSubjectProcess('sse-console-redis', shared));
          recorder.record(round, 'redis ×3', await measure(processes, redis.pid, sizes));
        } finally {
          await stopAll(processes.map((process) => process.child));
        }
      }
    } finally {
      await redis?.dispose();
    }
    const result = recorder.finish(
      {
        name: this.name,
        title: this.title,
        setup: `3 processes × ${sizes.perProcess} clients sharing one Redis, ${sizes.events} events of ${sizes.size} B sent on the first, ${sizes.batch} per event-loop turn; in-memory: one process with ${sizes.perProcess * 3} clients`,
        rounds: context.rounds,
      },
      [
        { subject: 'redis ×3', base: 'in-memory', metric: 'deliveriesPerSec' },
        { subject: 'redis ×3', base: 'in-memory', metric: 'cpuUsPerDelivery' },
        { subject: 'redis ×3', base: 'in-memory', metric: 'p99Ms' },
      ],
      [],
      [
        'deliveries/s = clients × events / (last delivery − first send); server CPU µs/delivery sums the CPU time of every Node server process (three for redis) over the deliveries',
        'redis-server CPU ms is the Redis process alone over the burst, apart from the server column (0 for in-memory); /proc counts it in 10 ms ticks',
        "the Redis feed reads events in batches and writes each batch to a client as one chunk; the in-memory engine's sends write per turn of the sender's loop, so fewer, larger writes can make the Redis side cheaper per delivery",
        'all servers, Redis and the load generator share the same cores: deliveries/s moves with the machine load, CPU per delivery much less',
      ],
    );
    const keptUp = subjects.map((subject) => loadKeptUp(result, subject, 'loadCpu', 90));
    return { ...result, checks: [...result.checks, ...keptUp] };
  },
};
