/**
The real TUI in a pseudo-terminal: it ends, and frees its ports, on SIGHUP, on SIGTERM
under load, and when its terminal goes away, even while a hostile server sends it huge
fields (which used to freeze it for tens of seconds, deaf to signals).
*/
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnInPty, stripAnsi, terminalEnv, type PtyProcess } from '../../bench/terminal/pty-process.js';
import { BINARY, PROJECT_ROOT } from './support/build.js';
import { startHostileServer, type HostileServer } from './support/hostile-server.js';
import { useCleanup, waitFor, type Cleanup } from '../support/wait.js';

const cleanup = useCleanup();

/** True if a new listener can bind 127.0.0.1:port right now. */
function canBind(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1' }, () => probe.close(() => resolve(true)));
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface RunningTui {
  readonly pty: PtyProcess;
  readonly pid: number;
  readonly ports: readonly number[];
}

async function startTui(cleanupTask: Cleanup): Promise<RunningTui> {
  const home = mkdtempSync(join(tmpdir(), 'sse-console-tui-'));
  const pty = spawnInPty([process.execPath, BINARY, '--port', '0', '--sse-port', '0'], {
    rows: 24,
    cols: 80,
    env: terminalEnv({ XDG_STATE_HOME: home, LANG: 'C.UTF-8' }),
    cwd: PROJECT_ROOT,
  });
  cleanupTask(async () => {
    await pty.stop();
    rmSync(home, { recursive: true, force: true });
  });
  await pty.waitFor(
    (output) => /SSE http:\/\/127\.0\.0\.1:\d+\/events\s+pages http:\/\/127\.0\.0\.1:\d+\//.test(stripAnsi(output)),
    15_000,
    'the status line',
  );
  const match = /SSE http:\/\/127\.0\.0\.1:(\d+)\/events\s+pages http:\/\/127\.0\.0\.1:(\d+)\//.exec(
    stripAnsi(pty.output()),
  );
  const pid = await waitFor(() => pty.programPid(), 'the pid of the console');
  return { pty, pid, ports: [Number(match?.[1]), Number(match?.[2])] };
}

/** Waits for the console process to be gone and both its ports to be free again. */
async function expectEndedAndPortsFree(tui: RunningTui, what: string): Promise<void> {
  await waitFor(() => !isRunning(tui.pid), `the console to exit after ${what}`, 15_000);
  for (const port of tui.ports) {
    await waitFor(() => canBind(port), `port ${port} to be free after ${what}`, 5000);
  }
}

/** A server that sends events whose name, id and an unknown field are 256 KiB each, over and over. */
function startHugeFieldServer(cleanupTask: Cleanup): Promise<HostileServer> {
  return startHostileServer(
    () => ({
      body: async (socket) => {
        const big = '\u0001'.repeat(256 * 1024);
        for (let i = 0; i < 20 && !socket.destroyed; i += 1) {
          if (!socket.write(`event: ${big}\nid: ${big}\n${big}: x\ndata: ${i}\n\n`)) {
            await new Promise((resolve) => socket.once('drain', resolve));
          }
        }
      },
    }),
    cleanupTask,
  );
}

/** Types a command at the TUI prompt. */
function typeCommand(tui: RunningTui, command: string): void {
  tui.pty.type(`${command}\r`);
}

/** Connects the TUI to the huge-field server and waits until the server has sent it everything. */
async function connectToHugeFields(tui: RunningTui, server: HostileServer): Promise<void> {
  const mark = tui.pty.mark();
  typeCommand(tui, `connect ${server.url}`);
  await tui.pty.waitFor((output) => output.includes('remote connecting'), 15_000, 'the connect command to start', mark);
  await waitFor(() => server.bodiesWritten() >= 1, 'the server to send its huge fields', 15_000);
}

describe('the TUI ends when it should, and frees its ports', () => {
  it('on SIGHUP, while a server sends it 256 KiB names, ids and field lines', async () => {
    const server = await startHugeFieldServer(cleanup);
    const tui = await startTui(cleanup);
    await connectToHugeFields(tui, server);
    process.kill(tui.pid, 'SIGHUP');
    await expectEndedAndPortsFree(tui, 'SIGHUP');
  }, 60_000);

  it('on SIGTERM under load: a job sending every 10 ms and a hostile server', async () => {
    const server = await startHugeFieldServer(cleanup);
    const tui = await startTui(cleanup);
    await connectToHugeFields(tui, server);
    typeCommand(tui, 'every 10ms send --id --data "tick {n}"');
    process.kill(tui.pid, 'SIGTERM');
    await expectEndedAndPortsFree(tui, 'SIGTERM');
  }, 60_000);

  it('when its terminal goes away (the terminal program is killed and the pty closes)', async () => {
    const tui = await startTui(cleanup);
    const server = await startHugeFieldServer(cleanup);
    await connectToHugeFields(tui, server);
    tui.pty.child.kill('SIGKILL');
    await expectEndedAndPortsFree(tui, 'the terminal closed');
    expect(isRunning(tui.pid)).toBe(false);
  }, 60_000);
});
