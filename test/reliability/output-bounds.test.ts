/**
The ends of a pipeline: `sse-console connect … | head` and line mode whose reader
closes its end quietly end with 0; line mode whose reader stops reading does not
queue its log without limit; a 600 MB line on stdin is skipped, not a crash.
*/
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINARY } from './support/build.js';
import { startConnect } from './support/connect-process.js';
import { startConsoleProcess } from '../support/console-process.js';
import { startHostileServer } from './support/hostile-server.js';
import { openStream } from './support/stream-client.js';
import { useCleanup, waitFor, type Cleanup } from '../support/wait.js';

const cleanup = useCleanup();

/** A server that sends a small event every millisecond or so until the client goes. */
function startTicker(cleanupTask: Cleanup) {
  return startHostileServer(
    () => ({
      body: async (socket) => {
        for (let n = 0; !socket.destroyed; n += 1) {
          socket.write(`id: ${n}\ndata: tick ${n}\n\n`);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
    }),
    cleanupTask,
  );
}

/** Line mode (human output) with stdin and stdout as pipes. */
function startLineMode(cleanupTask: Cleanup, args: readonly string[] = []) {
  const home = mkdtempSync(join(tmpdir(), 'sse-console-pipes-'));
  const child = spawn(process.execPath, [BINARY, '--no-tui', '--port', '0', '--sse-port', '0', ...args], {
    cwd: home,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', XDG_STATE_HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanupTask(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  });
  return { child, exited, stderr: () => stderr };
}

describe('a closed output ends the command quietly', () => {
  it('`connect … | head`: exit 0, no EPIPE stack trace', async () => {
    const server = await startTicker(cleanup);
    const run = startConnect([server.url], cleanup);
    await waitFor(() => run.stdout().includes('tick 5'), 'a few events on stdout');
    // What `head` does once it has its lines: close its end of the pipe.
    run.child.stdout?.destroy();
    const exit = await run.exited;
    expect(run.stderr()).toBe('');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('`connect --json … | head`: exit 0, no EPIPE stack trace', async () => {
    const server = await startTicker(cleanup);
    const run = startConnect([server.url, '--json'], cleanup);
    await waitFor(() => run.stdout().includes('tick 5'), 'a few events on stdout');
    run.child.stdout?.destroy();
    const exit = await run.exited;
    expect(run.stderr()).toBe('');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('line mode `| head`: exit 0, no EPIPE stack trace', async () => {
    const line = startLineMode(cleanup);
    let output = '';
    line.child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    line.child.stdin.write('every 10ms send --data "tick {n}"\n');
    await waitFor(() => output.includes('tick 5'), 'a few sends on stdout');
    line.child.stdout.destroy();
    const exit = await line.exited;
    expect(line.stderr()).toBe('');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 30_000);
});

describe('line mode bounds what it holds', () => {
  it('a reader that stops reading: activity lines are dropped with a summary, replies are kept', async () => {
    const line = startLineMode(cleanup, ['--json']);
    let output = '';
    line.child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    const listening = await waitFor(
      () =>
        output
          .split('\n')
          .slice(0, -1)
          .find((text) => text.includes('"type":"listening"')),
      'the listening line',
    );
    // Each send reaches this client as an event: how many went out while the reader stalled.
    let received = 0;
    openStream(Number(new URL((JSON.parse(listening) as { sse: string }).sse).port), {
      keepEvents: false,
      onEvent: () => (received += 1),
      cleanup,
    });
    line.child.stdout.pause();
    line.child.stdin.write('raw on\n');
    // 50 data lines of 900 characters: with raw on, each send logs 50 wire lines (~45 KB).
    const data = Array.from({ length: 50 }, () => 'x'.repeat(900)).join('\\n');
    for (let job = 0; job < 2; job += 1) line.child.stdin.write(`every 10ms send --id --data "${data}"\n`);
    // The reader stalls while 300 sends are logged, ~50 KB each: 15 MB, past the 8 MiB
    // line mode holds for a reader that is not reading.
    await waitFor(() => received >= 300, '300 sends while the reader stalls', 40_000);
    line.child.stdin.write('jobs\n');
    line.child.stdin.write('stop all\n');
    line.child.stdout.resume();
    await waitFor(() => output.includes('stopped 2 jobs'), 'the reply to `stop all`', 20_000);
    await waitFor(() => output.includes('the output was not being read'), 'the summary of dropped lines', 10_000);
    const records = output
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    const sent = records.filter((record) => record['type'] === 'sent').length;
    const stored = records.filter(
      (record) => record['type'] === 'output' && /^JOB|^\d+ +10ms/.test(String(record['text'])),
    );
    expect(stored.length).toBeGreaterThan(0);
    const runs = stored
      .slice(1)
      .reduce((sum, record) => sum + Number(/^\d+ +10ms +(\d+)/.exec(String(record['text']))?.[1] ?? 0), 0);
    // Every run sent an event; fewer of them were written than were sent.
    expect(sent).toBeLessThan(runs);
    expect(line.stderr()).toBe('');
  }, 60_000);

  it('a 600 MB line on stdin is skipped with one error line, and line mode keeps running', async () => {
    const proc = await startConsoleProcess([], { cleanup });
    const piece = Buffer.alloc(16 * 1024 * 1024, 0x61);
    const stdin = proc.child.stdin;
    for (let written = 0; written < 600 * 1024 * 1024; written += piece.length) {
      if (!stdin.write(piece)) await new Promise((resolve) => stdin.once('drain', resolve));
      if (proc.exit !== undefined) break;
    }
    stdin.write('\njobs\n');
    await proc.waitForLog(
      (line) => line.type === 'output' && line.text.startsWith('no jobs'),
      'the answer to the next command',
      60_000,
    );
    const errors = proc.logs.filter((line) => line.kind === 'error').map((line) => String(line.text));
    expect(errors).toEqual([
      expect.stringMatching(/^skipped an input line of \d+ bytes: a command line may be at most \d+ bytes$/),
    ]);
    expect(proc.stderr()).toBe('');
    expect(proc.exit).toBeUndefined();
  }, 120_000);
});
