import { fork, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Messages between the runner and its children are plain objects with a `type`. */
export interface Message {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface IpcChild {
  readonly pid: number;
  send(message: Message): void;
  /** The next message of `type` (queued ones first); rejects on timeout, child error or exit. */
  next<T extends Message>(type: string, timeoutMs: number): Promise<T>;
  request<T extends Message>(message: Message, replyType: string, timeoutMs: number): Promise<T>;
  stop(): Promise<void>;
}

/** Every process the benchmarks started that may still run; `killAll` ends them. */
const live = new Map<number, { child: ChildProcess; group: boolean }>();

function signal(pid: number, group: boolean, name: NodeJS.Signals): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    // Already gone.
  }
}

function track(child: ChildProcess, group: boolean): number {
  const pid = child.pid;
  if (pid === undefined) throw new Error('a benchmark process failed to start (no pid)');
  live.set(pid, { child, group });
  child.once('exit', () => live.delete(pid));
  return pid;
}

/** Ends one tracked process: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export function endProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
  const pid = child.pid;
  const entry = pid === undefined ? undefined : live.get(pid);
  if (pid === undefined || entry === undefined || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal(pid, entry.group, 'SIGKILL');
      resolve();
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // A group leader's exit can leave its children behind (script → node).
      if (entry.group) signal(pid, true, 'SIGKILL');
      resolve();
    });
    signal(pid, entry.group, 'SIGTERM');
  });
}

/** Kills every tracked process at once, synchronously (for exit and error paths). */
export function killAll(): void {
  for (const [pid, entry] of live) {
    signal(pid, entry.group, 'SIGKILL');
  }
  live.clear();
}

function forwardOutput(child: ChildProcess, label: string): void {
  const forward = (chunk: Buffer): void => {
    process.stderr.write(chunk.toString().replace(/^(?=.)/gm, `[${label}] `));
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
}

/** Forks a compiled bench script with an IPC channel; its output goes to our stderr. */
export function forkChild(
  script: string,
  args: readonly string[],
  options: { label: string; execArgv?: readonly string[] },
): IpcChild {
  const child = fork(script, [...args], {
    execArgv: [...(options.execArgv ?? [])],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env },
  });
  const pid = track(child, false);
  forwardOutput(child, options.label);

  const queue: Message[] = [];
  const waiters = new Set<{ type: string; resolve: (message: Message) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;

  const fail = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiters) waiter.reject(error);
    waiters.clear();
  };
  child.on('message', (raw) => {
    const message = raw as Message;
    if (message.type === 'error') {
      fail(new Error(`${options.label}: ${String(message.message)}`));
      return;
    }
    for (const waiter of waiters) {
      if (waiter.type === message.type) {
        waiters.delete(waiter);
        waiter.resolve(message);
        return;
      }
    }
    queue.push(message);
  });
  child.on('exit', (code, signalName) => fail(new Error(`${options.label} exited (${signalName ?? `code ${code}`})`)));
  child.on('error', (error) => fail(error));

  const next = <T extends Message>(type: string, timeoutMs: number): Promise<T> => {
    const index = queue.findIndex((message) => message.type === type);
    if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0] as T);
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        type,
        resolve: (message: Message) => {
          clearTimeout(timer);
          resolve(message as T);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${options.label}: no "${type}" message within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  return {
    pid,
    send(message) {
      if (failure) throw failure;
      child.send(message);
    },
    next,
    request(message, replyType, timeoutMs) {
      const reply = next<never>(replyType, timeoutMs);
      try {
        if (failure) throw failure;
        child.send(message);
      } catch (error) {
        // The reply will never come; its rejection is this one.
        reply.catch(() => undefined);
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return reply;
    },
    stop() {
      fail(new Error(`${options.label} stopped`));
      return endProcess(child);
    },
  };
}

/**
Spawns a tracked process. `group: true` makes it a process-group leader so that
ending it also ends what it started (a shell, `script` and the program under it).
*/
export function spawnTracked(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { group?: boolean },
): ChildProcess {
  const { group = false, ...spawnOptions } = options;
  const child = spawn(command, [...args], { ...spawnOptions, detached: group });
  track(child, group);
  return child;
}
