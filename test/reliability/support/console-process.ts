/**
The real `sse-console` binary in line mode with `--json`, driven through stdin and
read through its NDJSON log, as a script would use it.
*/
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BINARY } from './build.js';
import { waitFor, type Cleanup } from '../../support/wait.js';

/** One line of the `--json` log. `type` names it (`listening`, `connected`, `warn` …). */
export interface LogLine {
  readonly type: string;
  readonly kind?: string;
  readonly text?: string;
  readonly [field: string]: unknown;
}

interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `performance.now()` when the parent saw the exit. */
  readonly at: number;
}

export interface ConsoleProcess {
  readonly child: ChildProcess;
  readonly sseUrl: string;
  readonly pagesUrl: string;
  readonly ssePort: number;
  readonly pagePort: number;
  /** Every log line so far, in order. */
  readonly logs: LogLine[];
  /** Lines on stdout that were not JSON (there should be none). */
  readonly otherOutput: string[];
  /** Stdout as it was written (the newest 8 MiB), to check what a terminal would receive. */
  rawStdout(): string;
  /** How many log lines of each `type` arrived. */
  count(type: string): number;
  stderr(): string;
  /** Types one command line into the console. */
  type(line: string): void;
  /** Waits for a log line that passes `test` (searching from the start). */
  waitForLog(test: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  readonly exited: Promise<ProcessExit>;
  /** Set once the process has exited. */
  exit: ProcessExit | undefined;
}

export interface ConsoleProcessOptions {
  readonly cleanup: Cleanup;
  /** Extra node flags (e.g. --expose-gc). */
  readonly nodeArgs?: readonly string[];
  /**
  A subcommand such as `['proxy', URL]`: run as `sse-console proxy URL --no-tui --json
  --sse-port 0 ARGS…`; the `listening` line's `proxy` and `upstream` URLs become
  `sseUrl` and `pagesUrl`.
  */
  readonly subcommand?: readonly string[];
}

/**
Starts `node dist/bin/sse-console.js --no-tui --json --port 0 --sse-port 0 ARGS…` in a
fresh working directory and state home, and resolves once it printed `listening`.
The cleanup kills it (SIGKILL) if the test has not ended it.
*/
export async function startConsoleProcess(
  args: readonly string[],
  options: ConsoleProcessOptions,
): Promise<ConsoleProcess> {
  const home = mkdtempSync(join(tmpdir(), 'sse-console-reliability-'));
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      BINARY,
      ...(options.subcommand === undefined
        ? ['--no-tui', '--json', '--port', '0', '--sse-port', '0']
        : [...options.subcommand, '--no-tui', '--json', '--sse-port', '0']),
      ...args,
    ],
    {
      cwd: home,
      env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: join(home, 'state'), FORCE_COLOR: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const logs: LogLine[] = [];
  const otherOutput: string[] = [];
  const counts = new Map<string, number>();
  let stderr = '';
  let rawStdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    rawStdout += chunk.toString('utf8');
    if (rawStdout.length > 8 * 1024 * 1024) rawStdout = rawStdout.slice(-4 * 1024 * 1024);
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr += text;
  });
  // A write after the process is gone fails with EPIPE; the exit is what tests look at.
  child.stdin?.on('error', () => undefined);
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      otherOutput.push(text);
      return;
    }
    logs.push(line);
    counts.set(line.type, (counts.get(line.type) ?? 0) + 1);
  });

  const proc: ConsoleProcess = {
    child,
    sseUrl: '',
    pagesUrl: '',
    ssePort: 0,
    pagePort: 0,
    logs,
    otherOutput,
    rawStdout: () => rawStdout,
    count: (type) => counts.get(type) ?? 0,
    stderr: () => stderr,
    type(line) {
      child.stdin?.write(`${line}\n`);
    },
    waitForLog: (test, what, timeoutMs = 10_000) =>
      waitFor(
        () => logs.find(test),
        `${what} in the console log (stderr: ${JSON.stringify(stderr.slice(0, 500))})`,
        timeoutMs,
      ),
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const exit = { code, signal, at: performance.now() };
        proc.exit = exit;
        resolve(exit);
      });
    }),
    exit: undefined,
  };
  options.cleanup(async () => {
    if (proc.exit === undefined) {
      child.kill('SIGKILL');
      await proc.exited;
    }
    rmSync(home, { recursive: true, force: true });
  });

  const listening = await waitFor(
    () => logs.find((line) => line.type === 'listening') ?? (proc.exit ? new Error('exited') : undefined),
    'the listening line',
    15_000,
  );
  if (listening instanceof Error) {
    throw new Error(`sse-console exited before listening (${JSON.stringify(proc.exit)}): ${stderr}`);
  }
  const sseUrl = String(listening.sse ?? listening.proxy);
  const pagesUrl = String(listening.pages ?? listening.upstream);
  return Object.assign(proc, {
    sseUrl,
    pagesUrl,
    ssePort: Number(new URL(sseUrl).port),
    pagePort: Number(new URL(pagesUrl).port),
  });
}

/** The working directory of a test's files (history files …); removed after the test. */
export function makeTempDir(cleanup: Cleanup): string {
  const dir = mkdtempSync(join(tmpdir(), 'sse-console-reliability-files-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
What a crash leaves: output on stderr, an `error` log line, non-JSON output, or an
exit (unless the test ended the process itself: `exitExpected`).
*/
export function crashSigns(proc: ConsoleProcess, exitExpected = false): string[] {
  const signs: string[] = [];
  if (proc.stderr() !== '') signs.push(`stderr: ${proc.stderr().slice(0, 1000)}`);
  if (proc.exit !== undefined && !exitExpected) signs.push(`exited: ${JSON.stringify(proc.exit)}`);
  for (const line of proc.otherOutput) signs.push(`non-JSON output: ${line.slice(0, 200)}`);
  for (const line of proc.logs) {
    if (line.kind === 'error') signs.push(`error log: ${String(line.text)}`);
  }
  return signs;
}
