import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { endProcess, spawnTracked } from '../harness/children.js';
import { nowUs } from '../harness/clock.js';
import { parentPid } from '../harness/proc-stat.js';

/** Ink wraps each frame in these (synchronized output, DEC mode 2026) when writing to a TTY. */
export const beginFrame = '\u001B[?2026h';
export const endFrame = '\u001B[?2026l';

// CSI, OSC and two-byte escapes: enough to tell drawn text from terminal control.
const ansiPattern = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

export interface PtyProcess {
  readonly child: ChildProcess;
  /** When the process was spawned (monotonic µs). */
  readonly startedUs: number;
  /** Everything written to the terminal so far (bounded: the newest 1 MiB). */
  output(): string;
  /** Bytes written to the terminal so far. */
  readonly bytes: number;
  /** Frames drawn so far (begin-synchronized-update sequences). */
  readonly frames: number;
  /** A position in the output stream, to wait for output written after it. */
  mark(): number;
  /**
  Resolves with the arrival time (µs) of the first chunk after which `test(output)`
  holds, where output is everything written since `since` (default: since spawn).
  */
  waitFor(test: (output: string) => boolean, timeoutMs: number, what: string, since?: number): Promise<number>;
  /** Types into the terminal. */
  type(text: string): void;
  /** The pid of the program itself (the child of `script`), once it exists. */
  programPid(): number | undefined;
  stop(): Promise<void>;
}

const keptOutput = 1024 * 1024;

/** The environment a terminal app sees: a real TERM, and no CI variables (Ink renders only the last frame in CI). */
export function terminalEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  for (const key of Object.keys(env)) {
    if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) Reflect.deleteProperty(env, key);
  }
  return env;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
Runs a program under a pseudo-terminal made by util-linux `script` (no native
module needed), with a fixed window size. Input echo is off, so only what the
program itself draws comes back.
*/
export function spawnInPty(
  argv: readonly string[],
  options: { rows: number; cols: number; env: NodeJS.ProcessEnv; cwd: string },
): PtyProcess {
  const command = `stty rows ${options.rows} cols ${options.cols} 2>/dev/null; exec ${argv.map(shellQuote).join(' ')}`;
  const startedUs = nowUs();
  const child = spawnTracked('script', ['-q', '-f', '-E', 'never', '-c', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env,
    cwd: options.cwd,
    group: true,
  });
  let output = '';
  // Characters dropped from the front of `output` to keep it bounded.
  let dropped = 0;
  let bytes = 0;
  let frames = 0;
  // A frame marker may straddle two chunks; keep the tail of the previous one.
  let carry = '';
  const watchers = new Set<{ test: (output: string) => boolean; since: number; resolve: (us: number) => void }>();
  const outputSince = (since: number): string => output.slice(Math.max(0, since - dropped));

  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const now = nowUs();
    bytes += Buffer.byteLength(chunk);
    const scanned = carry + chunk;
    for (let at = scanned.indexOf(beginFrame); at >= 0; at = scanned.indexOf(beginFrame, at + 1)) frames += 1;
    carry = scanned.slice(-(beginFrame.length - 1));
    output += chunk;
    if (output.length > keptOutput) {
      dropped += output.length - keptOutput / 2;
      output = output.slice(-keptOutput / 2);
    }
    for (const watcher of watchers) {
      if (watcher.test(outputSince(watcher.since))) {
        watchers.delete(watcher);
        watcher.resolve(now);
      }
    }
  });
  // `script` reports its own ending on stderr; kept only to explain failures.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  // The program may exit before stdin is written to; that is not an error here.
  child.stdin?.on('error', () => undefined);

  return {
    child,
    startedUs,
    output: () => output,
    get bytes() {
      return bytes;
    },
    get frames() {
      return frames;
    },
    mark: () => dropped + output.length,
    waitFor(test, timeoutMs, what, since = 0) {
      if (test(outputSince(since))) return Promise.resolve(nowUs());
      return new Promise((resolve, reject) => {
        const watcher = {
          test,
          since,
          resolve: (us: number) => {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve(us);
          },
        };
        const fail = (reason: string): void => {
          watchers.delete(watcher);
          child.off('exit', onExit);
          const errors = stderr.trim() === '' ? '' : `; stderr: ${stderr.trim()}`;
          reject(
            new Error(
              `${what}: ${reason}; the terminal showed: ${JSON.stringify(stripAnsi(output).slice(-400))}${errors}`,
            ),
          );
        };
        const timer = setTimeout(() => fail(`not seen within ${timeoutMs} ms`), timeoutMs);
        const onExit = (): void => {
          clearTimeout(timer);
          // Let the last output arrive before giving up.
          setTimeout(() => (watchers.has(watcher) ? fail('the program exited first') : undefined), 50);
        };
        child.once('exit', onExit);
        watchers.add(watcher);
      });
    },
    type(text) {
      child.stdin?.write(text);
    },
    programPid() {
      return child.pid === undefined ? undefined : findChildPid(child.pid);
    },
    stop: () => endProcess(child),
  };
}

/** The first process whose parent is `pid` (script runs the program as its only child). */
function findChildPid(pid: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (parentPid(Number(entry)) === pid) return Number(entry);
  }
  return undefined;
}
