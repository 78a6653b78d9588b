import { sleep } from '../harness/clock.js';
import {
  checkDelivery,
  stopAll,
  startLoadProcess,
  startSubjectProcess,
  waitForConnections,
  type ReportMessage,
} from '../harness/bench-processes.js';
import type { IpcChild, Message } from '../harness/children.js';
import { cpuMs } from '../harness/proc-stat.js';
import { createRecorder, loadKeptUp, type MetricSpec } from '../harness/result.js';
import type { Benchmark, BenchContext } from './benchmark.js';

// Only the floor and sse-console: the target compares the two, and a 10 s run per
// subject per round keeps the peers out of the time budget (fan-out compares them).
const subjects = ['floor', 'sse-console'];
const metrics: MetricSpec[] = [
  { key: 'p50Ms', label: 'p50 ms', digits: 2 },
  { key: 'p99Ms', label: 'p99 ms', digits: 2 },
  { key: 'maxMs', label: 'max ms', digits: 1 },
  { key: 'deliveredPct', label: 'delivered %', digits: 1 },
  { key: 'serverCpu', label: 'server CPU %', digits: 0 },
  { key: 'loadCpu', label: 'load CPU %', digits: 0 },
];

interface Sizes {
  readonly connections: number;
  readonly rate: number;
  readonly durationMs: number;
  readonly size: number;
}

async function measure(subjectName: string, sizes: Sizes): Promise<Record<string, number>> {
  const subject = await startSubjectProcess(subjectName);
  let load: IpcChild | undefined;
  try {
    load = await startLoadProcess();
    await load.request(
      { type: 'open', port: subject.port, path: subject.path, count: sizes.connections, batch: 100 },
      'opened',
      130_000,
    );
    await waitForConnections(subject, sizes.connections, 20_000);
    // Half a second at the rate first, so code is optimised and buffers exist.
    await subject.child.request(
      { type: 'steady', rate: sizes.rate, durationMs: 500, size: sizes.size },
      'steady-done',
      30_000,
    );
    await sleep(200);

    const events = Math.round((sizes.rate * sizes.durationMs) / 1000);
    await load.request({ type: 'expect', events }, 'armed', 10_000);
    const cpuBefore = cpuMs(subject.child.pid);
    const delivered = load.next<ReportMessage>('delivered', sizes.durationMs + 30_000).catch(() => undefined);
    const sent = await subject.child.request<Message & { firstSendUs: number; lastSendUs: number }>(
      { type: 'steady', rate: sizes.rate, durationMs: sizes.durationMs, size: sizes.size },
      'steady-done',
      sizes.durationMs + 30_000,
    );
    const cpuAfter = cpuMs(subject.child.pid);
    // Every delivery within 5 s of the last send, or whatever has arrived by then.
    const report =
      (await Promise.race([delivered, sleep(5000).then(() => undefined)])) ??
      (await load.request<ReportMessage>({ type: 'report' }, 'report', 10_000));
    checkDelivery(subjectName, report);
    const wallMs = (sent.lastSendUs - sent.firstSendUs) / 1000;
    return {
      p50Ms: report.p50Us / 1000,
      p99Ms: report.p99Us / 1000,
      maxMs: report.maxUs / 1000,
      deliveredPct: (report.deliveries / (events * sizes.connections)) * 100,
      serverCpu: ((cpuAfter - cpuBefore) / wallMs) * 100,
      loadCpu: report.cpuShare * 100,
    };
  } finally {
    await stopAll([subject.child, load]);
  }
}

export const steadyRate: Benchmark = {
  name: 'steady',
  title: '2. Steady rate',
  async run(context: BenchContext) {
    const sizes: Sizes = context.quick
      ? { connections: 100, rate: 500, durationMs: 2000, size: 64 }
      : { connections: 1000, rate: 1000, durationMs: 10_000, size: 64 };
    const recorder = createRecorder(subjects, metrics);
    for (let round = 0; round < context.rounds; round += 1) {
      for (const subject of subjects) {
        context.progress(`steady: round ${round + 1}/${context.rounds}, ${subject}`);
        recorder.record(round, subject, await measure(subject, sizes));
      }
    }
    const result = recorder.finish(
      {
        name: this.name,
        title: this.title,
        setup: `${sizes.connections} connections, ${sizes.rate} events/s of ${sizes.size} B for ${sizes.durationMs / 1000} s`,
        rounds: context.rounds,
      },
      [
        { subject: 'sse-console', base: 'floor', metric: 'p99Ms', target: { op: '<=', value: 1.2 } },
        { subject: 'sse-console', base: 'floor', metric: 'p50Ms' },
      ],
      [],
      [
        'latency is send-to-receive (the subject stamps each event with the monotonic clock as it sends it), over every delivery',
        `the rate asks for ${(sizes.rate * sizes.connections).toLocaleString('en-US')} deliveries/s; where the fan-out burst shows fewer, the machine cannot sustain it, the sender falls behind and catches up in bigger batches, and the latencies are mostly queueing`,
      ],
    );
    return { ...result, checks: [...result.checks, loadKeptUp(result, 'floor', 'loadCpu', 90)] };
  },
};
