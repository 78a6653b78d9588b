import { sleep } from '../harness/clock.js';
import {
  startLoadProcess,
  startSubjectProcess,
  stopAll,
  waitForConnections,
  type ReportMessage,
} from '../harness/bench-processes.js';
import { forkChild, type IpcChild, type Message } from '../harness/children.js';
import { proxyProcessScript, relayProcessScript } from '../harness/paths.js';
import { cpuMs } from '../harness/proc-stat.js';
import { createRecorder, type Check, type MetricSpec } from '../harness/result.js';
import { median } from '../harness/stats.js';
import type { Benchmark, BenchContext } from './benchmark.js';

/*
What `sse-console proxy` adds to each event's trip: the floor server's stream read
directly, and the same stream read through the proxy, in alternation. The
difference of the two latency percentiles is the proxy's added latency.
*/

/*
Two rates: the target is checked at a rate a real app's stream has (20 events/s to
each of 100 connections); the stress rate (200 events/s each, 20,000 deliveries/s)
shows what a near-saturated proxy adds on this machine, where the proxy, the
upstream and the load generator share the cores.
*/
const allSubjects = ['direct', 'relay', 'proxied', 'direct (stress)', 'relay (stress)', 'proxied (stress)'];
/** SSE_BENCH_PROXY_ROWS=relay,proxied runs only those rows (a quicker look at the targets). */
const chosenRows = process.env['SSE_BENCH_PROXY_ROWS']?.split(',');
const subjects = chosenRows === undefined ? allSubjects : allSubjects.filter((subject) => chosenRows.includes(subject));
type Route = 'direct' | 'relay' | 'proxied';
const metrics: MetricSpec[] = [
  { key: 'p50Ms', label: 'p50 ms', digits: 3 },
  { key: 'p99Ms', label: 'p99 ms', digits: 3 },
  { key: 'maxMs', label: 'max ms', digits: 1 },
  { key: 'deliveredPct', label: 'delivered %', digits: 1 },
  { key: 'proxyCpu', label: 'proxy/relay CPU %', digits: 0 },
  // The same CPU time per delivered event: at 5 % of a core the percentage moves in whole points, this in tenths.
  { key: 'cpuUsPerEvent', label: 'CPU µs/event', digits: 2 },
];

/** The target: the proxy adds at most this much to the p99 latency. */
const addedP99TargetMs = 2;
/** Targets against the byte relay of the same round: proxied p99 and proxy CPU at most these multiples. */
const p99OverRelayTarget = 1.15;
const cpuOverRelayTarget = 1.3;

/*
SSE_BENCH_PROXY_PROFILE=DIR runs the proxy process with `--cpu-prof --cpu-prof-dir=DIR`:
one profile per relay or proxied run (in DIR/relay and DIR/proxied), to see where its CPU goes.
*/
const profileDir = process.env['SSE_BENCH_PROXY_PROFILE'];

interface Sizes {
  readonly connections: number;
  readonly rate: number;
  readonly durationMs: number;
  readonly size: number;
  /**
  Events sent before the window opens. Long enough for V8 to have compiled the hot
  code: with 0.5 s the window still held the optimizing compiler's bursts (on its
  worker threads, counted in the process's CPU), which cost the proxy, with more
  code to compile, some 5 µs per event of a 10 s window, and the relay less.
  */
  readonly warmUpMs: number;
}

interface RunSizes {
  readonly target: Sizes;
  readonly stress: Sizes;
}

async function startProxyProcess(
  route: 'relay' | 'proxied',
  upstreamPort: number,
): Promise<{ child: IpcChild; port: number }> {
  const profiled =
    profileDir === undefined ? {} : { execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${route}`] };
  const child =
    route === 'relay'
      ? forkChild(relayProcessScript, [String(upstreamPort)], { label: 'relay', ...profiled })
      : forkChild(proxyProcessScript, [`http://127.0.0.1:${upstreamPort}/`], { label: 'proxy', ...profiled });
  try {
    const ready = await child.next<Message & { port: number }>('ready', 20_000);
    return { child, port: ready.port };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

async function measure(through: Route, sizes: Sizes): Promise<Record<string, number>> {
  const subject = await startSubjectProcess('floor');
  let proxy: { child: IpcChild; port: number } | undefined;
  let load: IpcChild | undefined;
  try {
    if (through !== 'direct') proxy = await startProxyProcess(through, subject.port);
    load = await startLoadProcess();
    const port = proxy?.port ?? subject.port;
    await load.request(
      { type: 'open', port, path: subject.path, count: sizes.connections, batch: 50 },
      'opened',
      60_000,
    );
    await waitForConnections(subject, sizes.connections, 20_000);
    await subject.child.request(
      { type: 'steady', rate: sizes.rate, durationMs: sizes.warmUpMs, size: sizes.size },
      'steady-done',
      30_000,
    );
    await sleep(200);

    const events = Math.round((sizes.rate * sizes.durationMs) / 1000);
    await load.request({ type: 'expect', events }, 'armed', 10_000);
    const cpuBefore = proxy ? cpuMs(proxy.child.pid) : 0;
    const delivered = load.next<ReportMessage>('delivered', sizes.durationMs + 30_000).catch(() => undefined);
    const sent = await subject.child.request<Message & { firstSendUs: number; lastSendUs: number }>(
      { type: 'steady', rate: sizes.rate, durationMs: sizes.durationMs, size: sizes.size },
      'steady-done',
      sizes.durationMs + 30_000,
    );
    const cpuAfter = proxy ? cpuMs(proxy.child.pid) : 0;
    const report =
      (await Promise.race([delivered, sleep(5000).then(() => undefined)])) ??
      (await load.request<ReportMessage>({ type: 'report' }, 'report', 10_000));
    const wallMs = (sent.lastSendUs - sent.firstSendUs) / 1000;
    return {
      p50Ms: report.p50Us / 1000,
      p99Ms: report.p99Us / 1000,
      maxMs: report.maxUs / 1000,
      deliveredPct: (report.deliveries / (events * sizes.connections)) * 100,
      proxyCpu: proxy ? ((cpuAfter - cpuBefore) / wallMs) * 100 : Number.NaN,
      cpuUsPerEvent: proxy && report.deliveries > 0 ? ((cpuAfter - cpuBefore) * 1000) / report.deliveries : Number.NaN,
    };
  } finally {
    await stopAll([subject.child, proxy?.child, load]);
  }
}

export const proxyLatency: Benchmark = {
  name: 'proxy',
  title: '7. Proxy added latency',
  async run(context: BenchContext) {
    const sizes: RunSizes = context.quick
      ? {
          target: { connections: 100, rate: 20, durationMs: 2000, size: 64, warmUpMs: 500 },
          stress: { connections: 100, rate: 100, durationMs: 2000, size: 64, warmUpMs: 500 },
        }
      : {
          target: { connections: 100, rate: 20, durationMs: 10_000, size: 64, warmUpMs: 3000 },
          stress: { connections: 100, rate: 200, durationMs: 5000, size: 64, warmUpMs: 1000 },
        };
    const recorder = createRecorder(subjects, metrics);
    const added = {
      p50: [] as number[],
      p99: [] as number[],
      stressP99: [] as number[],
      relayP99: [] as number[],
      overRelayP99: [] as number[],
      p99OverRelay: [] as number[],
      cpuOverRelay: [] as number[],
      proxyUsPerEvent: [] as number[],
      relayUsPerEvent: [] as number[],
    };
    for (let round = 0; round < context.rounds; round += 1) {
      const values: Record<string, Record<string, number>> = {};
      for (const subject of subjects) {
        context.progress(`proxy: round ${round + 1}/${context.rounds}, ${subject}`);
        const stress = subject.endsWith('(stress)');
        values[subject] = await measure(
          subject.startsWith('proxied') ? 'proxied' : subject.startsWith('relay') ? 'relay' : 'direct',
          stress ? sizes.stress : sizes.target,
        );
        recorder.record(round, subject, values[subject]);
      }
      const difference = (subject: string, base: string, key: string): number =>
        (values[subject]?.[key] ?? Number.NaN) - (values[base]?.[key] ?? Number.NaN);
      added.p50.push(difference('proxied', 'direct', 'p50Ms'));
      added.p99.push(difference('proxied', 'direct', 'p99Ms'));
      added.stressP99.push(difference('proxied (stress)', 'direct (stress)', 'p99Ms'));
      added.relayP99.push(difference('relay', 'direct', 'p99Ms'));
      added.overRelayP99.push(difference('proxied', 'relay', 'p99Ms'));
      const ratio = (key: string): number =>
        (values['proxied']?.[key] ?? Number.NaN) / (values['relay']?.[key] ?? Number.NaN);
      added.p99OverRelay.push(ratio('p99Ms'));
      added.cpuOverRelay.push(ratio('proxyCpu'));
      added.proxyUsPerEvent.push(values['proxied']?.['cpuUsPerEvent'] ?? Number.NaN);
      added.relayUsPerEvent.push(values['relay']?.['cpuUsPerEvent'] ?? Number.NaN);
    }
    const middle = (list: readonly number[]): number => median(list.filter((value) => Number.isFinite(value)));
    const addedP99 = middle(added.p99);
    const { target, stress } = sizes;
    const p99OverRelay = middle(added.p99OverRelay);
    const cpuOverRelay = middle(added.cpuOverRelay);
    const checks: Check[] = [
      {
        text: `proxied p99 / relay p99 at ${target.rate} events/s per connection (median of per-round ratios): ${p99OverRelay.toFixed(2)}×, target ≤ ${p99OverRelayTarget}×`,
        met: Number.isNaN(p99OverRelay) ? undefined : p99OverRelay <= p99OverRelayTarget,
      },
      {
        text: `proxy CPU / relay CPU at ${target.rate} events/s per connection (median of per-round ratios): ${cpuOverRelay.toFixed(2)}×, target ≤ ${cpuOverRelayTarget}×`,
        met: Number.isNaN(cpuOverRelay) ? undefined : cpuOverRelay <= cpuOverRelayTarget,
      },
      {
        text: `added p99 latency at ${target.rate} events/s per connection (proxied − direct, median over rounds): ${addedP99.toFixed(3)} ms, target ≤ ${addedP99TargetMs} ms; added p50 ${middle(added.p50).toFixed(3)} ms`,
        met: Number.isNaN(addedP99) ? undefined : addedP99 <= addedP99TargetMs,
      },
    ];
    return recorder.finish(
      {
        name: this.name,
        title: this.title,
        setup: `${target.connections} connections to the floor server, direct or through the proxy; ${target.rate} events/s of ${target.size} B for ${target.durationMs / 1000} s after ${target.warmUpMs / 1000} s of warm-up (stress rows: ${stress.rate} events/s for ${stress.durationMs / 1000} s after ${stress.warmUpMs / 1000} s, ${(stress.rate * stress.connections).toLocaleString('en-US')} deliveries/s)`,
        rounds: context.rounds,
      },
      [],
      checks,
      [
        'latency is send-to-receive over every delivery; the proxy runs in its own process, parses every event and builds its reports as in the console (the log is not printed)',
        `a byte relay (no HTTP, nothing read: the least a second hop costs here) adds ${middle(added.relayP99).toFixed(3)} ms to p99; the proxy adds ${middle(added.overRelayP99).toFixed(3)} ms over the relay`,
        `CPU per delivered event at ${target.rate} events/s per connection (median over rounds): proxy ${middle(added.proxyUsPerEvent).toFixed(2)} µs, relay ${middle(added.relayUsPerEvent).toFixed(2)} µs (/proc ticks of 10 ms over the window)`,
        `at the stress rate the proxy adds ${middle(added.stressP99).toFixed(3)} ms to p99 (median over rounds): there it needs most of a core, and the proxy, the upstream and the load generator share this machine's cores`,
      ],
    );
  },
};
