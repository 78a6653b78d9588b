import { stopAll, startLoadProcess, startSubjectProcess } from '../harness/bench-processes.js';
import type { IpcChild, Message } from '../harness/children.js';
import { createRecorder, type MetricSpec } from '../harness/result.js';
import { median } from '../harness/stats.js';
import type { Benchmark, BenchContext } from './benchmark.js';

const metrics: MetricSpec[] = [
  { key: 'headMs', label: 'first byte ms', digits: 3 },
  { key: 'firstEventMs', label: 'first event ms', digits: 3 },
  { key: 'lastEventMs', label: 'last event ms', digits: 3 },
  { key: 'fillMs', label: 'fill ms', digits: 0 },
];

/** Events replayed per probe: the client asks for everything after `size − tail`. */
const tail = 10;

function label(size: number): string {
  return `log of ${size.toLocaleString('en-US')}`;
}

async function measure(size: number, repeats: number): Promise<Record<string, number>> {
  const subject = await startSubjectProcess('sse-console', { historyLimit: size });
  let load: IpcChild | undefined;
  try {
    load = await startLoadProcess();
    const filled = await subject.child.request<Message & { ms: number }>(
      { type: 'fill', count: size, size: 64 },
      'filled',
      60_000,
    );
    const probe = {
      type: 'probe',
      port: subject.port,
      path: subject.path,
      expectEvents: tail,
      headers: { 'Last-Event-ID': String(size - tail) },
    };
    // Warm-up probes, not counted.
    await load.request({ ...probe, repeats: 5 }, 'probed', 30_000);
    const probed = await load.request<Message & { headUs: number[]; firstEventUs: number[]; lastEventUs: number[] }>(
      { ...probe, repeats },
      'probed',
      60_000,
    );
    return {
      headMs: median(probed.headUs) / 1000,
      firstEventMs: median(probed.firstEventUs) / 1000,
      lastEventMs: median(probed.lastEventUs) / 1000,
      fillMs: filled.ms,
    };
  } finally {
    await stopAll([subject.child, load]);
  }
}

export const replay: Benchmark = {
  name: 'replay',
  title: '4. Replay',
  async run(context: BenchContext) {
    const sizes = context.quick ? [1000, 10_000] : [1000, 10_000, 100_000];
    const repeats = context.quick ? 10 : 50;
    const subjects = sizes.map(label);
    const recorder = createRecorder(subjects, metrics);
    for (let round = 0; round < context.rounds; round += 1) {
      for (const size of sizes) {
        context.progress(`replay: round ${round + 1}/${context.rounds}, ${label(size)}`);
        recorder.record(round, label(size), await measure(size, repeats));
      }
    }
    const smallest = label(sizes[0] ?? 1000);
    const largest = label(sizes[sizes.length - 1] ?? 1000);
    return recorder.finish(
      {
        name: this.name,
        title: this.title,
        setup: `sse-console with a replay log of each size; a new connection with Last-Event-ID = size − ${tail} (${tail} events replayed), ${repeats} probes per round`,
        rounds: context.rounds,
      },
      [
        { subject: largest, base: smallest, metric: 'firstEventMs', target: { op: '<=', value: 1.5 } },
        { subject: largest, base: smallest, metric: 'lastEventMs', target: { op: '<=', value: 1.5 } },
      ],
      [],
      [
        'times are from the request written to the first response byte, the first replayed event and the last one; flat across sizes means the log is searched, not scanned (O(log n))',
        `target: the ${largest} times stay within 1.5× of the ${smallest} times`,
      ],
    );
  },
};
