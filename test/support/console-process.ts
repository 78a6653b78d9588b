/**
The real `sse-console` binary in line mode with `--json`, driven through stdin and
read through its NDJSON log (`JsonLine`, the public contract), as a script would
use it. The one process harness of the reliability and end-to-end tests.
*/
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { JsonLine } from '../../core/app/console/log-records.js';
import { binaryPath } from './project-root.js';
import { waitFor, waitUntil, type Cleanup } from './wait.js';

/** One line of the `--json` log; every field of every record type may be read (unknown when absent). */
export type LogLine = JsonLine & { readonly kind?: string; readonly text?: string; readonly [field: string]: unknown };

interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `performance.now()` when the parent saw the exit. */
  readonly at: number;
}

export interface ConsoleProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly sseUrl: string;
  readonly pagesUrl: string;
  readonly ssePort: number;
  readonly pagePort: number;
  /** Every log line so far, the `listening` line first, in order. */
  readonly logs: LogLine[];
  /** Every log line after the `listening` line: take `records.length` before acting to look at what follows. */
  readonly records: readonly LogLine[];
  /** Lines on stdout that were not JSON (there should be none). */
  readonly otherOutput: string[];
  /** Stdout as it was written (the newest 8 MiB), to check what a terminal would receive. */
  rawStdout(): string;
  /** How many log lines of each `type` arrived. */
  count(type: string): number;
  stderr(): string;
  /** Types one command line into the console. */
  type(line: string): void;
  /** Types one command line; throws once the process has exited. */
  send(line: string): void;
  /** Waits for a log line that passes `test` (searching from the start). */
  waitForLog(test: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** The first record at index `since` or later that `matches`; fails with the log's tail. */
  waitForRecord(
    what: string,
    matches: (record: LogLine) => boolean,
    options?: { since?: number; timeoutMs?: number },
  ): Promise<LogLine>;
  /** Records of one type (optionally from `since`). */
  recordsOfType(type: string, since?: number): LogLine[];
  /** SIGTERM, then the exit code (throws unless it exits within `limitMs`, or if a signal ended it). Safe to call twice. */
  stop(limitMs?: number): Promise<number | null>;
  readonly exited: Promise<ProcessExit>;
  /** Set once the process has exited. */
  exit: ProcessExit | undefined;
}

export interface ConsoleProcessOptions {
  /** Kills the process (SIGKILL) after the test if it has not ended, and removes its directory. */
  readonly cleanup?: Cleanup;
  /** Extra node flags (e.g. --expose-gc). */
  readonly nodeArgs?: readonly string[];
  /**
  A subcommand such as `['proxy', URL]`: run as `sse-console proxy URL --no-tui --json
  --sse-port 0 ARGS…`; the `listening` line's `proxy` and `upstream` URLs become
  `sseUrl` and `pagesUrl`.
  */
  readonly subcommand?: readonly string[];
  /** The working directory; default a fresh one, removed after the process ends. */
  readonly cwd?: string;
  /** Environment variables added to the child's (e.g. XDG_STATE_HOME for --http2's certificate). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Longest the binary may take to print its first line (start-up on a loaded machine). */
const startLimitMs = 20_000;

/**
Starts `node dist/bin/sse-console.js --no-tui --json --port 0 --sse-port 0 ARGS…` with
a fresh state home, and resolves once it printed `listening`.
*/
export async function startConsoleProcess(
  args: readonly string[] = [],
  options: ConsoleProcessOptions = {},
): Promise<ConsoleProcess> {
  const home = mkdtempSync(join(tmpdir(), 'sse-console-process-'));
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      binaryPath,
      ...(options.subcommand === undefined
        ? ['--no-tui', '--json', '--port', '0', '--sse-port', '0']
        : [...options.subcommand, '--no-tui', '--json', '--sse-port', '0']),
      ...args,
    ],
    {
      cwd: options.cwd ?? home,
      env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: join(home, 'state'), FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const logs: LogLine[] = [];
  const records: LogLine[] = [];
  const otherOutput: string[] = [];
  const counts = new Map<string, number>();
  let stderr = '';
  let rawStdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    rawStdout += chunk.toString('utf8');
    if (rawStdout.length > 8 * 1024 * 1024) rawStdout = rawStdout.slice(-4 * 1024 * 1024);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr += text;
  });
  // A write after the process is gone fails with EPIPE; the exit is what tests look at.
  child.stdin.on('error', () => undefined);
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      otherOutput.push(text);
      return;
    }
    if (line.type !== 'listening' || logs.length > 0) records.push(line);
    logs.push(line);
    counts.set(line.type, (counts.get(line.type) ?? 0) + 1);
  });

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      const exit = { code, signal, at: performance.now() };
      proc.exit = exit;
      resolve(exit);
    });
  });

  const stop = async (limitMs = 2000): Promise<number | null> => {
    if (proc.exit === undefined) {
      child.kill('SIGTERM');
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), limitMs)),
      ]);
      if (!inTime) {
        child.kill('SIGKILL');
        await exited;
        throw new Error(`sse-console did not exit within ${limitMs} ms of SIGTERM (killed it); stderr: ${stderr}`);
      }
    }
    const exit = await exited;
    if (exit.signal !== null) throw new Error(`sse-console ended by signal ${exit.signal}; stderr: ${stderr}`);
    return exit.code;
  };

  const proc: ConsoleProcess = {
    child,
    sseUrl: '',
    pagesUrl: '',
    ssePort: 0,
    pagePort: 0,
    logs,
    records,
    otherOutput,
    rawStdout: () => rawStdout,
    count: (type) => counts.get(type) ?? 0,
    stderr: () => stderr,
    type(line) {
      child.stdin.write(`${line}\n`);
    },
    send(line) {
      if (proc.exit !== undefined) {
        throw new Error(`sse-console has exited (code ${String(proc.exit.code)}); cannot send "${line}"`);
      }
      child.stdin.write(`${line}\n`);
    },
    waitForLog: (test, what, timeoutMs = 10_000) =>
      waitFor(
        () => logs.find(test),
        `${what} in the console log (stderr: ${JSON.stringify(stderr.slice(0, 500))})`,
        timeoutMs,
      ),
    async waitForRecord(what, matches, { since = 0, timeoutMs = 15_000 } = {}) {
      try {
        return await waitFor(() => records.slice(since).find(matches), `a log line: ${what}`, timeoutMs, 50);
      } catch (error) {
        // The log tail says more than "not found" about what happened instead.
        const tail = records.slice(-15).map((record) => record.text ?? JSON.stringify(record));
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${reason}\nlast log lines:\n  ${tail.join('\n  ')}\nstderr: ${stderr}`, { cause: error });
      }
    },
    recordsOfType: (type, since = 0) => records.slice(since).filter((record) => record.type === type),
    stop,
    exited,
    exit: undefined,
  };
  const removeHome = (): void => rmSync(home, { recursive: true, force: true });
  if (options.cleanup === undefined) {
    void exited.then(removeHome);
  } else {
    options.cleanup(async () => {
      if (proc.exit === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
      removeHome();
    });
  }

  let listening: LogLine | undefined;
  try {
    listening = await waitUntil({
      what: 'the {"type":"listening"} line',
      probe: () => logs.find((line) => line.type === 'listening'),
      done: (line) => line !== undefined || proc.exit !== undefined,
      timeoutMs: startLimitMs,
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (listening === undefined) {
    throw new Error(`sse-console exited (${JSON.stringify(proc.exit)}) before listening; stderr: ${stderr}`);
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
  const dir = mkdtempSync(join(tmpdir(), 'sse-console-files-'));
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
