/**
The parent side of fixtures/console-child.ts: the console's servers in a child
process started with --expose-gc, so a test can read their memory and live
resources apart from the test runner's own.
*/
import { fork, type ChildProcess } from 'node:child_process';
import type { StartConsoleOptions } from '../../../core/app/console/start-console.js';
import type {
  BroadcastResult,
  ChildMessage,
  ChildRequest,
  ChildState,
  Measurement,
} from '../fixtures/console-child.js';
import { fixtureOutput } from './build.js';
import type { Cleanup } from '../../support/wait.js';

export type { Measurement };

export interface ChildConsole {
  readonly ssePort: number;
  readonly pagePort: number;
  state(): Promise<ChildState>;
  measure(): Promise<Measurement>;
  broadcast(request: Omit<Extract<ChildRequest, { type: 'broadcast' }>, 'type'>): Promise<BroadcastResult>;
  stderr(): string;
}

const REQUEST_TIMEOUT_MS = 90_000;

/** Starts the fixture with `options` for startConsole; it is killed after the test. */
export async function startChildConsole(options: StartConsoleOptions, cleanup: Cleanup): Promise<ChildConsole> {
  const child: ChildProcess = fork(fixtureOutput('console-child'), [JSON.stringify(options)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr += text;
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
  });
  cleanup(async () => {
    if (!exited) {
      child.kill('SIGKILL');
      await exit;
    }
  });

  /** The next message of `type`, or an error the child reported. */
  function next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the child sent no ${type} within ${REQUEST_TIMEOUT_MS} ms (stderr: ${stderr})`));
      }, REQUEST_TIMEOUT_MS);
      const onMessage = (raw: unknown): void => {
        const message = raw as ChildMessage;
        if (message.type === type) {
          done();
          resolve(message as Extract<ChildMessage, { type: T }>);
        } else if (message.type === 'error') {
          done();
          reject(new Error(`the child failed: ${message.message}`));
        }
      };
      const onExit = (): void => {
        done();
        reject(new Error(`the child exited before sending ${type} (stderr: ${stderr})`));
      };
      const done = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  function ask<T extends ChildMessage['type']>(
    request: ChildRequest,
    answer: T,
  ): Promise<Extract<ChildMessage, { type: T }>> {
    const reply = next(answer);
    child.send(request);
    return reply;
  }

  const ready = await next('ready');
  return {
    ssePort: Number(new URL(ready.state.sseUrl).port),
    pagePort: Number(new URL(ready.state.pagesUrl).port),
    state: async () => (await ask({ type: 'state' }, 'state')).state,
    measure: async () => (await ask({ type: 'measure' }, 'measure')).measurement,
    broadcast: async (request) => (await ask({ type: 'broadcast', ...request }, 'broadcast')).result,
    stderr: () => stderr,
  };
}
