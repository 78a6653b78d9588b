import {
  checkDelivery,
  stopAll,
  startLoadProcess,
  startSubjectProcess,
  waitForConnections,
  type ReportMessage,
} from '../harness/bench-processes.js';
import { cpuMs } from '../harness/proc-stat.js';
import { createRecorder, loadKeptUp, type MetricSpec } from '../harness/result.js';
import type { IpcChild, Message } from '../harness/children.js';
import type { Benchmark, BenchContext } from './benchmark.js';

// sse-console-h2: the same engine over HTTP/2 with TLS, the same clients (one session each) and events.
// ceiling: one framed buffer per tick written straight to each socket, the most Node can do.
// sse-console-flush5: the engine with the opt-in window createSse({ flushMs: 5 }), which gathers
// sends across turns (the burst spreads over 100 turns); not the floor's configuration, so no target.
const subjects = [
  'floor',
  'ceiling',
  'sse-console',
  'sse-console-flush5',
  'sse-console-h2',
  'sse-channel',
  'better-sse',
];
const metrics: MetricSpec[] = [
  { key: 'deliveriesPerSec', label: 'deliveries/s', digits: 0 },
  { key: 'p99Ms', label: 'p99 ms', digits: 1 },
  { key: 'elapsedMs', label: 'burst ms', digits: 0 },
  { key: 'serverCpu', label: 'server CPU %', digits: 0 },
  { key: 'cpuUsPerDelivery', label: 'server CPU µs/delivery', digits: 2 },
  { key: 'loadCpu', label: 'load CPU %', digits: 0 },
];

interface Sizes {
  readonly connections: number;
  readonly events: number;
  readonly warmupEvents: number;
  readonly batch: number;
  readonly size: number;
}

/** Arms the generator for `events` per connection, has the subject send them, waits for every delivery. */
async function deliverBurst(subject: IpcChild, load: IpcChild, sizes: Sizes, events: number, name: string) {
  await load.request({ type: 'expect', events }, 'armed', 10_000);
  const cpuBefore = cpuMs(subject.pid);
  const delivered = load.next<ReportMessage>('delivered', 120_000);
  // If the burst itself fails, the runner stops both children and this rejects unawaited.
  delivered.catch(() => undefined);
  const sent = await subject.request<Message & { firstSendUs: number; lastSendUs: number }>(
    { type: 'burst', events, batch: sizes.batch, size: sizes.size },
    'burst-done',
    120_000,
  );
  const report = await delivered;
  checkDelivery(name, report);
  const cpuUsed = cpuMs(subject.pid) - cpuBefore;
  const elapsedUs = report.lastDeliveryUs - sent.firstSendUs;
  return {
    deliveriesPerSec: (report.deliveries / elapsedUs) * 1e6,
    p99Ms: report.p99Us / 1000,
    elapsedMs: elapsedUs / 1000,
    serverCpu: (cpuUsed / (elapsedUs / 1000)) * 100,
    cpuUsPerDelivery: (cpuUsed * 1000) / report.deliveries,
    loadCpu: report.cpuShare * 100,
  };
}

async function measure(subjectName: string, sizes: Sizes): Promise<Record<string, number>> {
  const subject = await startSubjectProcess(subjectName);
  let load: IpcChild | undefined;
  try {
    load = await startLoadProcess();
    await load.request(
      {
        type: 'open',
        port: subject.port,
        path: subject.path,
        protocol: subject.protocol,
        count: sizes.connections,
        batch: 100,
      },
      'opened',
      130_000,
    );
    await waitForConnections(subject, sizes.connections, 20_000);
    // A short burst first, so each library runs optimised code and its buffers exist.
    await deliverBurst(subject.child, load, sizes, sizes.warmupEvents, subjectName);
    return await deliverBurst(subject.child, load, sizes, sizes.events, subjectName);
  } finally {
    await stopAll([subject.child, load]);
  }
}

export const fanoutBurst: Benchmark = {
  name: 'fanout',
  title: '1. Fan-out burst',
  async run(context: BenchContext) {
    const sizes: Sizes = context.quick
      ? { connections: 100, events: 200, warmupEvents: 20, batch: 10, size: 64 }
      : { connections: 1000, events: 1000, warmupEvents: 50, batch: 10, size: 64 };
    const recorder = createRecorder(subjects, metrics);
    for (let round = 0; round < context.rounds; round += 1) {
      for (const subject of subjects) {
        context.progress(`fanout: round ${round + 1}/${context.rounds}, ${subject}`);
        recorder.record(round, subject, await measure(subject, sizes));
      }
    }
    const result = recorder.finish(
      {
        name: this.name,
        title: this.title,
        setup: `${sizes.connections} connections × ${sizes.events} events of ${sizes.size} B, sent ${sizes.batch} per event-loop turn`,
        rounds: context.rounds,
      },
      [
        { subject: 'sse-console', base: 'floor', metric: 'deliveriesPerSec', target: { op: '>=', value: 0.9 } },
        { subject: 'sse-console', base: 'sse-channel', metric: 'deliveriesPerSec', target: { op: '>=', value: 1.7 } },
        { subject: 'sse-console', base: 'better-sse', metric: 'deliveriesPerSec', target: { op: '>=', value: 2.5 } },
        { subject: 'sse-console', base: 'floor', metric: 'p99Ms' },
        { subject: 'sse-console', base: 'floor', metric: 'cpuUsPerDelivery', target: { op: '<=', value: 0.7 } },
        { subject: 'ceiling', base: 'floor', metric: 'cpuUsPerDelivery' },
        { subject: 'sse-console', base: 'ceiling', metric: 'cpuUsPerDelivery' },
        { subject: 'sse-console-flush5', base: 'floor', metric: 'cpuUsPerDelivery' },
        { subject: 'sse-console-flush5', base: 'ceiling', metric: 'cpuUsPerDelivery' },
        { subject: 'sse-console-flush5', base: 'floor', metric: 'p99Ms' },
        { subject: 'sse-console-h2', base: 'sse-console', metric: 'deliveriesPerSec' },
        { subject: 'sse-console-h2', base: 'sse-console', metric: 'cpuUsPerDelivery' },
      ],
      [],
      [
        'deliveries/s = connections × events / (last delivery − first send); p99 is send-to-receive over every delivery',
        'CPU % is CPU time / wall time of the burst (100 % = one core); the load generator must stay well below 100 % for the floor to be a real ceiling',
        'server CPU µs/delivery is the work done per delivery; unlike deliveries/s it hardly moves when other programs compete for the cores',
        'ceiling is node:http with the head written by hand and one framed buffer per tick written straight to each socket: the most Node can do, the same bytes on the wire',
        'sse-console-flush5 is the engine with createSse({ flushMs: 5 }): sends gathered for up to 5 ms and written as one chunk per connection; a different configuration from the floor (it trades latency for fewer writes), so it has no target',
        'sse-console-h2 is the same engine over HTTP/2 with TLS (one session per client): its ratio to sse-console includes the encryption, which the HTTP/1.1 rows do not pay',
      ],
    );
    // Reported for each HTTP/1.1 row the CPU target compares: the lighter the server,
    // the more of the two cores the generator gets, and the more it must keep up with.
    const keptUp = ['floor', 'ceiling', 'sse-console'].map((subject) => loadKeptUp(result, subject, 'loadCpu', 90));
    return { ...result, checks: [...result.checks, ...keptUp] };
  },
};
