import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from './children.js';
import { sleep } from './clock.js';
import { freePort } from './free-port.js';

/*
A real redis-server (Debian's /usr/bin/redis-server) on a free 127.0.0.1 port, in a
temp dir of its own, stopped by its pid. No persistence unless asked: then an
append-only file in the same dir, so a restart finds the data.

The one way both the benchmarks and the tests start one. It lives under bench/ because
bench/ is compiled into dist (tsconfig.build.json) and may import nothing from test/,
while test/ may import bench/.
*/

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** The running redis-server's pid (for its CPU time); NaN while it is stopped. */
  readonly pid: number;
  /** Stops it (SIGKILL unless `graceful`) and waits until it is gone; its dir stays. */
  stop(graceful?: boolean): Promise<void>;
  /** Starts it again on the same port and dir; `empty` deletes its data first. */
  restart(options?: { empty?: boolean }): Promise<void>;
  /** Stops it for good and deletes its dir. */
  dispose(): Promise<void>;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRedisServer(options: { persist?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sse-redis-'));
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const persistence =
      options.persist === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const started = spawnTracked(
      '/usr/bin/redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir],
      { stdio: 'ignore' },
    );
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within 10 s`);
      await sleep(20);
    }
  }

  async function stop(graceful = false): Promise<void> {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.pid === undefined) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(running.pid, graceful ? 'SIGTERM' : 'SIGKILL');
    await exited;
  }

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return child?.pid ?? Number.NaN;
    },
    stop,
    async restart(restartOptions = {}) {
      await stop(true);
      if (restartOptions.empty === true) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir);
      }
      await launch();
    },
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
