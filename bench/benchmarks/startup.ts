import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endProcess, spawnTracked } from '../harness/children.js';
import { nowUs } from '../harness/clock.js';
import {
  bundleManifest,
  cliMainScript,
  minimalConsoleStartScript,
  minimalInkScript,
  moduleTrackerScript,
  projectRoot,
} from '../harness/paths.js';
import { createRecorder, type Check, type MetricSpec } from '../harness/result.js';
import { spawnInPty, stripAnsi, terminalEnv } from '../terminal/pty-process.js';
import type { Benchmark, BenchContext } from './benchmark.js';

const metrics: MetricSpec[] = [{ key: 'ms', label: 'ms to milestone', digits: 0 }];

const subjectSpecs = [
  { name: 'node -e 0', milestone: 'exit' },
  { name: 'minimal node:http listener', milestone: 'first line' },
  { name: 'minimal two-listener start', milestone: 'first line' },
  { name: 'sse-console --help', milestone: 'exit' },
  { name: 'line mode', milestone: 'first "listening" line' },
  { name: 'minimal Ink app', milestone: 'first frame' },
  { name: 'TUI', milestone: 'first frame' },
] as const;

type SubjectName = (typeof subjectSpecs)[number]['name'];

const lineModeArgs = ['--no-tui', '--json', '--port', '0', '--sse-port', '0'];
/** The `--json` line that says both listeners are up (line mode and its two-listener floor print it). */
const isListeningRecord = (line: string): boolean => line.includes('"type":"listening"');
/*
The least a stream server's start can cost: CommonJS node:http, one listener on
127.0.0.1 (the host name costs Node a DNS lookup call and its IPv6 check), one
line. Line mode does this twice (stream and pages) plus everything else it is.
*/
const minimalListener =
  "require('node:http').createServer().listen(0, '127.0.0.1', function () { console.log('listening'); this.close(); })";
const tuiArgs = ['--port', '0', '--sse-port', '0'];
const hasVisibleText = (output: string): boolean => /\S/.test(stripAnsi(output));

/** Milliseconds from spawn until the process exits (successfully). */
async function timeToExit(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = nowUs();
  const child = spawnTracked(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env, cwd: projectRoot });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not exit within 20 s`)), 20_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
    return (nowUs() - started) / 1000;
  } finally {
    await endProcess(child);
  }
}

/** Milliseconds from spawn until a stdout line passes `test`; `settleMs` later the process is ended. */
async function timeToLine(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  test: (line: string) => boolean,
  settleMs = 0,
): Promise<number> {
  const started = nowUs();
  // stdin stays open: line mode keeps serving until told to quit.
  const child = spawnTracked(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env, cwd: projectRoot });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const atUs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${args.join(' ')}: no matching line within 20 s; stderr: ${stderr.trim()}`)),
        20_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        const now = nowUs();
        stdout += chunk.toString();
        if (stdout.split('\n').some(test)) {
          clearTimeout(timer);
          resolve(now);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited (${code}) before the line; stderr: ${stderr.trim()}`));
      });
    });
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return (atUs - started) / 1000;
  } finally {
    await endProcess(child);
  }
}

/** Milliseconds from spawn until the program draws its first visible text on a pseudo-terminal. */
async function timeToFirstFrame(args: readonly string[], env: NodeJS.ProcessEnv, settleMs = 0): Promise<number> {
  const pty = spawnInPty([process.execPath, ...args], { rows: 40, cols: 120, env, cwd: projectRoot });
  try {
    const atUs = await pty.waitFor(hasVisibleText, 20_000, `${args.join(' ')} first frame`);
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return (atUs - pty.startedUs) / 1000;
  } finally {
    await pty.stop();
  }
}

function runSubject(
  name: SubjectName,
  env: NodeJS.ProcessEnv,
  preload: readonly string[] = [],
  settleMs = 0,
): Promise<number> {
  switch (name) {
    case 'node -e 0':
      return timeToExit([...preload, '-e', '0'], env);
    case 'minimal node:http listener':
      return timeToLine([...preload, '-e', minimalListener], env, (line) => line === 'listening', settleMs);
    case 'minimal two-listener start':
      return timeToLine([...preload, minimalConsoleStartScript, ...lineModeArgs], env, isListeningRecord, settleMs);
    case 'sse-console --help':
      return timeToExit([...preload, cliMainScript, '--help'], env);
    case 'line mode':
      return timeToLine([...preload, cliMainScript, ...lineModeArgs], env, isListeningRecord, settleMs);
    case 'minimal Ink app':
      return timeToFirstFrame([...preload, minimalInkScript], env, settleMs);
    case 'TUI':
      return timeToFirstFrame([...preload, cliMainScript, ...tuiArgs], env, settleMs);
  }
}

const inkOrReactPackage = /\/node_modules\/(ink|react|react-reconciler)\//;

const httpClientPackage = /\/node_modules\/undici\//;

/** The bundle's chunks that hold Ink or React, and the HTTP client, as the bundler listed them. */
function chunkNames(kind: 'inkChunks' | 'clientChunks'): Set<string> {
  const manifest = JSON.parse(readFileSync(bundleManifest, 'utf8')) as Record<typeof kind, string[]>;
  return new Set(manifest[kind]);
}

/** Runs a subject once with the module tracker preloaded and says whether it loaded Ink/React or the HTTP client. */
async function loads(what: 'ink' | 'client', name: SubjectName, env: NodeJS.ProcessEnv, dir: string): Promise<boolean> {
  const logFile = join(dir, `modules-${what}-${name.replace(/\W+/g, '-')}.log`);
  // 500 ms after the milestone, so modules imported right after it are seen too.
  await runSubject(name, { ...env, BENCH_MODULE_LOG: logFile }, ['--import', moduleTrackerScript], 500);
  if (!existsSync(logFile)) return false;
  const chunks = chunkNames(what === 'ink' ? 'inkChunks' : 'clientChunks');
  const unbundled = what === 'ink' ? inkOrReactPackage : httpClientPackage;
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .some((url) => unbundled.test(url) || chunks.has(url.slice(url.lastIndexOf('/') + 1)));
}

const loadsInk = (name: SubjectName, env: NodeJS.ProcessEnv, dir: string): Promise<boolean> =>
  loads('ink', name, env, dir);

export const startup: Benchmark = {
  name: 'startup',
  title: '5. Start-up',
  async run(context: BenchContext) {
    const stateDir = mkdtempSync(join(tmpdir(), 'sse-console-bench-'));
    try {
      const env = terminalEnv({ XDG_STATE_HOME: stateDir, NO_COLOR: '1' });
      const tuiReady = existsSync(cliMainScript);
      const subjects = subjectSpecs.filter((spec) => spec.name !== 'TUI' || tuiReady);
      const recorder = createRecorder(
        subjects.map((spec) => `${spec.name} (${spec.milestone})`),
        metrics,
      );
      for (let round = 0; round < context.rounds; round += 1) {
        for (const spec of subjects) {
          context.progress(`startup: round ${round + 1}/${context.rounds}, ${spec.name}`);
          recorder.record(round, `${spec.name} (${spec.milestone})`, { ms: await runSubject(spec.name, env) });
        }
      }

      context.progress('startup: which runs load Ink or React');
      const checks: Check[] = [
        { text: '`--help` loads neither Ink nor React', met: !(await loadsInk('sse-console --help', env, stateDir)) },
        { text: 'line mode loads neither Ink nor React', met: !(await loadsInk('line mode', env, stateDir)) },
        {
          text: 'control: the module tracker sees Ink in the minimal Ink app',
          met: await loadsInk('minimal Ink app', env, stateDir),
        },
        {
          text: 'control: the module tracker sees Ink in the TUI (bundled)',
          met: await loadsInk('TUI', env, stateDir),
        },
        {
          text: 'line mode does not load the HTTP client (undici: only `connect` needs it)',
          met: !(await loads('client', 'line mode', env, stateDir)),
        },
        { text: 'the TUI does not load the HTTP client', met: !(await loads('client', 'TUI', env, stateDir)) },
      ];
      const notes = [
        'each time runs from spawn; pseudo-terminal runs go through util-linux `script` (shell + stty + exec), the same for both Ink rows',
        'Ink/React loading is checked in separate untimed runs with a resolve hook preloaded (node --import)',
      ];
      if (!tuiReady) notes.push(`TUI row skipped: ${cliMainScript} is not built`);
      return recorder.finish(
        {
          name: this.name,
          title: this.title,
          setup: 'a fresh process per run, subjects alternating',
          rounds: context.rounds,
        },
        [
          ...(tuiReady
            ? [
                {
                  subject: 'TUI (first frame)',
                  base: 'minimal Ink app (first frame)',
                  metric: 'ms',
                  target: { op: '<=', value: 0.8 },
                } as const,
              ]
            : []),
          // Issue 26: against the least a start of line mode's shape costs, measured in the same run.
          {
            subject: 'line mode (first "listening" line)',
            base: 'minimal two-listener start (first line)',
            metric: 'ms',
            target: { op: '<=', value: 1.35 },
          },
          // Context: how much of each start is Node's own.
          { subject: 'minimal node:http listener (first line)', base: 'node -e 0 (exit)', metric: 'ms' },
          { subject: 'minimal two-listener start (first line)', base: 'node -e 0 (exit)', metric: 'ms' },
          { subject: 'line mode (first "listening" line)', base: 'node -e 0 (exit)', metric: 'ms' },
        ],
        checks,
        notes,
      );
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  },
};
