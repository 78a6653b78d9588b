import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { binaryPath, projectRoot } from './project-root.js';
import { waitUntil } from './wait-until.js';

/** One NDJSON line of `--json` line mode: `type` plus the fields of that kind. */
interface LogRecord {
  readonly type: string;
  readonly kind?: string;
  readonly text?: string;
  readonly [field: string]: unknown;
}

export interface ConsoleProcess {
  /** The stream URL from the first line, e.g. http://127.0.0.1:41234/events. */
  readonly sseUrl: string;
  /** The demo pages' base URL, e.g. http://127.0.0.1:41235/. */
  readonly pagesUrl: string;
  /** Every log line so far (the `listening` line excluded), in order. */
  readonly records: readonly LogRecord[];
  /** Writes one command line to stdin, as a user would type it. */
  send(line: string): void;
  /**
  The first record at index `since` or later that `matches`; waits for it.
  Take `records.length` before acting to look only at what follows.
  */
  waitForRecord(
    what: string,
    matches: (record: LogRecord) => boolean,
    options?: { since?: number; timeoutMs?: number },
  ): Promise<LogRecord>;
  /** Records of one type (optionally from `since`). */
  recordsOfType(type: string, since?: number): LogRecord[];
  /** SIGTERM, then the exit code (throws unless it exits within `limitMs`). Safe to call twice. */
  stop(limitMs?: number): Promise<number | null>;
  /** What the process wrote to stderr, for failure messages. */
  stderr(): string;
}

export interface StartOptions {
  /**
  A subcommand such as `['proxy', URL]`, run as `sse-console proxy URL --no-tui --json
  --sse-port 0 …extraArgs`; its listening line's `proxy` and `upstream` URLs become
  `sseUrl` and `pagesUrl`.
  */
  readonly subcommand?: readonly string[];
  /** Environment variables added to the child's (e.g. XDG_STATE_HOME for --http2's certificate). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Longest the binary may take to print its first line (start-up on a loaded machine). */
const startLimitMs = 20_000;

/**
Starts the real binary in JSON line mode on free ports:
`node dist/bin/sse-console.js --no-tui --json --port 0 --sse-port 0 …extraArgs`.
Resolves once the `listening` line arrived.
*/
export async function startConsoleProcess(
  extraArgs: readonly string[] = [],
  options: StartOptions = {},
): Promise<ConsoleProcess> {
  const leading =
    options.subcommand === undefined
      ? ['--no-tui', '--json', '--port', '0', '--sse-port', '0']
      : [...options.subcommand, '--no-tui', '--json', '--sse-port', '0'];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [binaryPath, ...leading, ...extraArgs], {
    cwd: projectRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const records: LogRecord[] = [];
  const unparsable: string[] = [];
  let stderrText = '';
  let listening: { sse: string; pages: string } | undefined;
  let exitCode: number | null | undefined;
  let exitSignal: NodeJS.Signals | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      resolve();
    });
  });

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrText += chunk;
  });
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      unparsable.push(line);
      return;
    }
    if (record.type === 'listening' && listening === undefined) {
      listening = { sse: String(record.sse ?? record.proxy), pages: String(record.pages ?? record.upstream) };
      return;
    }
    records.push(record);
  });
  // Commands written after the process ended would raise EPIPE; the exit code tells the story.
  child.stdin.on('error', () => {});

  const stderr = (): string => stderrText;
  const stop = async (limitMs = 2000): Promise<number | null> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), limitMs)),
      ]);
      if (!inTime) {
        child.kill('SIGKILL');
        await exited;
        throw new Error(`sse-console did not exit within ${limitMs} ms of SIGTERM (killed it); stderr: ${stderrText}`);
      }
    }
    if (exitSignal !== null) {
      throw new Error(`sse-console ended by signal ${exitSignal}; stderr: ${stderrText}`);
    }
    return exitCode ?? null;
  };

  try {
    await waitUntil({
      what: 'the {"type":"listening"} line',
      probe: () => ({ listening, exitCode, stderr: stderrText, unparsable }),
      done: (state) => state.listening !== undefined || state.exitCode !== undefined,
      timeoutMs: startLimitMs,
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (listening === undefined) {
    throw new Error(`sse-console exited (code ${String(exitCode)}) before listening; stderr: ${stderrText}`);
  }
  const { sse, pages } = listening;

  return {
    sseUrl: sse,
    pagesUrl: pages,
    records,
    send(line) {
      if (exitCode !== undefined)
        throw new Error(`sse-console has exited (code ${String(exitCode)}); cannot send "${line}"`);
      child.stdin.write(`${line}\n`);
    },
    async waitForRecord(what, matches, options = {}) {
      const since = options.since ?? 0;
      try {
        const found = await waitUntil({
          what: `a log line: ${what}`,
          probe: () => records.slice(since).find(matches),
          done: (record) => record !== undefined,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        });
        return found as LogRecord;
      } catch (error) {
        // The log tail says more than "undefined" about what happened instead.
        const tail = records.slice(-15).map((record) => record.text ?? JSON.stringify(record));
        const reason = (error as Error).message.split('; last saw')[0];
        throw new Error(`${reason}\nlast log lines:\n  ${tail.join('\n  ')}\nstderr: ${stderrText}`, { cause: error });
      }
    },
    recordsOfType(type, since = 0) {
      return records.slice(since).filter((record) => record.type === type);
    },
    stop,
    stderr,
  };
}
