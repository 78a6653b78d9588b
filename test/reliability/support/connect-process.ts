/**
The real `sse-console connect …` binary, run to its end with its output collected
(without colour), for what a user's terminal or a pipe would receive.
*/
import { spawn, type ChildProcess } from 'node:child_process';
import { BINARY } from './build.js';
import type { Cleanup } from '../../support/wait.js';

export interface ConnectRun {
  readonly child: ChildProcess;
  /** Everything written to stdout so far (the newest `keepChars` characters). */
  stdout(): string;
  /** Characters written to stdout in all. */
  stdoutChars(): number;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `sse-console connect ARGS…`; killed after the test if still running. */
export function startConnect(args: readonly string[], cleanup: Cleanup, keepChars = 8 * 1024 * 1024): ConnectRun {
  return startSubcommand(['connect', ...args], cleanup, keepChars);
}

/** Starts `sse-console ARGS…` (a subcommand such as `doctor URL`); killed after the test if still running. */
export function startSubcommand(args: readonly string[], cleanup: Cleanup, keepChars = 8 * 1024 * 1024): ConnectRun {
  const child = spawn(process.execPath, [BINARY, ...args], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stdoutChars = 0;
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    stdoutChars += text.length;
    stdout += text;
    if (stdout.length > keepChars) stdout = stdout.slice(-keepChars / 2);
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-64 * 1024);
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  cleanup(async () => {
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, stdout: () => stdout, stdoutChars: () => stdoutChars, stderr: () => stderr, exited };
}
