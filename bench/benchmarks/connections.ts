import { execFileSync } from 'node:child_process';
import { sleep } from '../harness/clock.js';
import {
  stopAll,
  startLoadProcess,
  startSubjectProcess,
  waitForConnections,
  type MemoryMessage,
} from '../harness/bench-processes.js';
import type { IpcChild } from '../harness/children.js';
import { createRecorder, type Check, type MetricSpec } from '../harness/result.js';
import type { Benchmark, BenchContext } from './benchmark.js';

const subjects = ['floor', 'sse-console', 'sse-channel', 'better-sse'];
const metrics: MetricSpec[] = [
  { key: 'rssKb', label: 'RSS KB/conn', digits: 2 },
  { key: 'heapKb', label: 'heap KB/conn', digits: 2 },
  { key: 'externalKb', label: 'external KB/conn', digits: 2 },
  { key: 'openMs', label: 'open ms', digits: 0 },
];

/** Each process holds one fd per connection plus a few dozen of its own. */
const fdHeadroom = 100;

function openFileLimit(): number {
  try {
    return Number(execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return Number.NaN;
  }
}

async function measure(subjectName: string, count: number): Promise<Record<string, number>> {
  const subject = await startSubjectProcess(subjectName);
  let load: IpcChild | undefined;
  try {
    load = await startLoadProcess();
    const before = await subject.child.request<MemoryMessage>({ type: 'memory' }, 'memory', 20_000);
    // Bounded batches: 500 connects in flight at most, each batch waits for its response heads.
    const opened = await load.request<{ type: string; ms: number }>(
      { type: 'open', port: subject.port, path: subject.path, count, batch: 500 },
      'opened',
      130_000,
    );
    await waitForConnections(subject, count, 30_000);
    await sleep(300);
    const after = await subject.child.request<MemoryMessage>({ type: 'memory' }, 'memory', 20_000);
    return {
      rssKb: (after.rss - before.rss) / count / 1024,
      heapKb: (after.heapUsed - before.heapUsed) / count / 1024,
      externalKb: (after.external - before.external) / count / 1024,
      openMs: opened.ms,
    };
  } finally {
    await stopAll([subject.child, load]);
  }
}

export const connections: Benchmark = {
  name: 'connections',
  title: '3. Connections',
  async run(context: BenchContext) {
    const count = context.quick ? 1000 : 10_000;
    const limit = openFileLimit();
    const needed = count + fdHeadroom;
    const checks: Check[] = [
      {
        text: `open-file limit (ulimit -n) is ${limit}; each of the two processes needs ≥ ${needed}`,
        met: limit >= needed,
      },
    ];
    if (!(limit >= needed)) {
      throw new Error(
        `ulimit -n is ${limit}, below the ${needed} this benchmark needs per process; raise it (ulimit -n ${needed * 2}) and run again`,
      );
    }
    const recorder = createRecorder(subjects, metrics);
    for (let round = 0; round < context.rounds; round += 1) {
      for (const subject of subjects) {
        context.progress(`connections: round ${round + 1}/${context.rounds}, ${subject}`);
        recorder.record(round, subject, await measure(subject, count));
      }
    }
    return recorder.finish(
      {
        name: this.name,
        title: this.title,
        setup: `${count.toLocaleString('en-US')} idle connections; (memory after − before) / connections, both after full GC`,
        rounds: context.rounds,
      },
      [
        { subject: 'sse-console', base: 'floor', metric: 'rssKb', target: { op: '<=', value: 1.1 } },
        { subject: 'sse-console', base: 'floor', metric: 'heapKb', target: { op: '<=', value: 1.1 } },
      ],
      checks,
      ['RSS includes the kernel-visible cost (socket objects, buffers, V8 heap pages); heap is the JS objects alone'],
    );
  },
};
