import { cpus } from 'node:os';
import { parseBenchArgs, usage } from './harness/args.js';
import { killAll } from './harness/children.js';
import { formatResult, toJson } from './harness/print.js';
import { notDone, type BenchmarkResult } from './harness/result.js';
import type { Benchmark } from './benchmarks/benchmark.js';
import { connections } from './benchmarks/connections.js';
import { fanoutBurst } from './benchmarks/fanout-burst.js';
import { proxyLatency } from './benchmarks/proxy-latency.js';
import { redisFanout } from './benchmarks/redis-fanout.js';
import { redisLatency } from './benchmarks/redis-latency.js';
import { redisStorm } from './benchmarks/redis-storm.js';
import { replay } from './benchmarks/replay.js';
import { startup } from './benchmarks/startup.js';
import { steadyRate } from './benchmarks/steady-rate.js';
import { tuiFlood } from './benchmarks/tui-flood.js';

/*
`npm run bench`: runs each benchmark with its subjects in alternation, every
server and the load generator in their own processes, and prints medians.
*/

const benchmarks: readonly Benchmark[] = [
  fanoutBurst,
  steadyRate,
  connections,
  replay,
  startup,
  tuiFlood,
  proxyLatency,
  redisLatency,
  redisFanout,
  redisStorm,
];

// Whatever happens, no benchmark process outlives the runner.
process.on('exit', killAll);
// A stray rejection (a child's reply that nobody waits for any more) is reported, not fatal.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`bench: ignored a late failure: ${reason instanceof Error ? reason.message : String(reason)}\n`);
});
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(name, () => {
    killAll();
    process.exit(130);
  });
}

async function main(): Promise<number> {
  const parsed = parseBenchArgs(
    process.argv.slice(2),
    benchmarks.map((benchmark) => benchmark.name),
  );
  if (!parsed.ok) {
    if (parsed.error !== '') process.stderr.write(`bench: ${parsed.error}\n`);
    process.stderr.write(usage);
    return parsed.error === '' ? 0 : 2;
  }
  const { args } = parsed;
  const chosen = benchmarks.filter((benchmark) => args.only === undefined || benchmark.name === args.only);
  const started = Date.now();
  const results: BenchmarkResult[] = [];
  for (const benchmark of chosen) {
    process.stderr.write(`bench: ${benchmark.title}\n`);
    let result: BenchmarkResult;
    const benchmarkStarted = Date.now();
    try {
      result = await benchmark.run({
        rounds: args.rounds,
        quick: args.quick,
        redisConnections: args.redisConnections,
        progress: (text) => process.stderr.write(`  ${text}\n`),
      });
    } catch (error) {
      result = notDone(
        benchmark.name,
        benchmark.title,
        `failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    killAll();
    result = { ...result, seconds: Math.round((Date.now() - benchmarkStarted) / 1000) };
    results.push(result);
    if (!args.json) process.stdout.write(`\n${formatResult(result)}\n`);
  }
  const meta = {
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    rounds: args.rounds,
    quick: args.quick,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  if (args.json) process.stdout.write(`${toJson(results, meta)}\n`);
  else
    process.stdout.write(
      `\n${meta.node} on ${meta.cpus}; ${meta.seconds} s${args.quick ? ' (--quick: reduced sizes, not for comparison)' : ''}\n`,
    );
  return results.some((result) => result.notDone?.startsWith('failed') === true) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAll();
    process.exitCode = 1;
  },
);
