/*
The parent side of fixtures/redis-process.ts: a real server process on the library's
Redis engine, run from the TypeScript sources (see test/support/resolve-ts.ts).
*/
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../support/project-root.js';
import type { Cleanup } from '../../support/wait.js';
import type { ChildMessage, ParentRequest, ProcessOptions } from './fixtures/redis-process.js';

export interface RedisProcess {
  readonly port: number;
  readonly pid: number;
  /** Publishes one stored event; resolves to its id, rejects with the error code as message. */
  publish(data: string): Promise<string>;
  /** kill -9, and waits until it is gone. */
  kill(): Promise<void>;
  stderr(): string;
}

const FIXTURE = join(projectRoot, 'test/core/redis/fixtures/redis-process.ts');
const RESOLVE_TS = join(projectRoot, 'test/support/resolve-ts.ts');

export async function startRedisProcess(
  options: Pick<ProcessOptions, 'url' | 'channel' | 'prefix'> & Partial<ProcessOptions>,
  cleanup: Cleanup,
  startTimeoutMs = 60_000,
): Promise<RedisProcess> {
  const full: ProcessOptions = { heartbeatMs: 15_000, retryMs: 500, ...options };
  const child: ChildProcess = fork(FIXTURE, [JSON.stringify(full)], {
    execArgv: ['--experimental-transform-types', '--no-warnings', '--import', RESOLVE_TS],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const pending = new Map<number, { resolve: (id: string) => void; reject: (error: Error) => void }>();
  let refs = 0;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server process did not listen in ${startTimeoutMs} ms: ${stderr}`)),
      startTimeoutMs,
    );
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.port);
      } else {
        const waiting = pending.get(message.ref);
        pending.delete(message.ref);
        if (message.type === 'published') waiting?.resolve(message.id);
        else waiting?.reject(Object.assign(new Error(message.code), { detail: message.message }));
      }
    });
    void exited.then(() => reject(new Error(`the server process exited: ${stderr}`)));
  });
  return {
    port,
    pid: child.pid ?? 0,
    publish(data) {
      const ref = ++refs;
      return new Promise((resolve, reject) => {
        pending.set(ref, { resolve, reject });
        const request: ParentRequest = { type: 'publish', data, ref };
        child.send(request);
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    stderr: () => stderr,
  };
}
