import type { ScriptStep } from './lesson-script.js';

/** What a running script needs from the console; injected so tests can drive it. */
export interface ScriptHost {
  /** Run one console command line (already checked by the script parser). */
  execute(step: ScriptStep): void;
  /** Show a `#` line, or say what the script waits for. */
  narrate(step: ScriptStep, text: string): void;
  /** How many connections are open now. */
  connectionCount(): number;
  /** Calls `listener` whenever the connection count may have changed; returns an unsubscribe. */
  onConnectionsChanged(listener: () => void): () => void;
  /**
  The connections that hold unsent bytes past what their socket takes at once (the
  stream's `slow` flag): the script waits for them before its next command.
  */
  backlog(): readonly ConnectionBacklog[];
  /** True once no more input can come (stdin ended in line mode), so no Enter will. */
  inputEnded(): boolean;
  /**
  How many `expect`s wait for a verdict (absent: none ever): `wait expectations` and
  the script's end wait until there are none, calling back through onConnectionsChanged.
  */
  pendingExpectations?(): number;
}

/** A connection that has not yet taken what was written to it. */
export interface ConnectionBacklog {
  readonly id: number;
  readonly bufferedBytes: number;
}

/** How often a script looks again at connections that have not taken its last command's bytes. */
const DRAIN_POLL_MS = 2;
/**
A connection whose unsent bytes have not gone down for this long is not waited for
(until they do): it stopped reading, and the stream's own limit drops it, while the
lesson goes on for the others.
*/
export const STALL_MS = 1000;

/** What a `wait enter` step says when no Enter can come. */
const NO_ENTER = 'stdin has ended, so no Enter can come: going on';

export interface RunningScript {
  readonly file: string;
  /** The line of the step running or waited on now. */
  readonly currentLine: number;
  /** True while a `wait enter` step waits. */
  readonly waitingForEnter: boolean;
  /** Resolves with how the script ended. */
  readonly done: Promise<'finished' | 'stopped'>;
  /** Ends a `wait enter` step; false if none waits. */
  enter(): boolean;
  /** No more input will come: a `wait enter` step says so and goes on (and so do later ones). */
  inputEnded(): void;
  /** Stops the script at its current step; false if it had already ended. */
  stop(): boolean;
}

/**
Runs a parsed lesson script step by step. After each command it yields to I/O (so
the console keeps reading input and the sockets keep moving) and, when some
connection has not yet taken what was written to it, waits until it has: a script
with no `sleep` then sends at the pace its clients read, each of them holding about
one command's bytes, never the whole run (which would pass the per-connection
limit and get healthy clients dropped as slow). A connection that stops reading is
not waited for once it has not moved for STALL_MS.
*/
export function runScript(file: string, steps: readonly ScriptStep[], host: ScriptHost): RunningScript {
  let index = 0;
  let ended = false;
  let waitingForEnter = false;
  let resume: (() => void) | undefined;
  let cancelWait: (() => void) | undefined;
  /** Per connection waited on: its unsent bytes at the last look, and for how long they have not gone down. */
  const pending = new Map<number, { bytes: number; quietMs: number }>();
  let finish: (how: 'finished' | 'stopped') => void = () => {};
  const done = new Promise<'finished' | 'stopped'>((resolve) => {
    finish = resolve;
  });

  function end(how: 'finished' | 'stopped'): void {
    if (ended) return;
    ended = true;
    cancelWait?.();
    cancelWait = undefined;
    resume = undefined;
    waitingForEnter = false;
    finish(how);
  }

  /** Waits for a step; `next` continues the script afterwards. */
  function waitFor(step: ScriptStep): void {
    const next = (): void => {
      cancelWait?.();
      cancelWait = undefined;
      resume = undefined;
      waitingForEnter = false;
      index += 1;
      advance();
    };
    switch (step.kind) {
      case 'sleep': {
        const timer = setTimeout(next, step.ms);
        cancelWait = () => clearTimeout(timer);
        return;
      }
      case 'wait-connections': {
        if (host.connectionCount() >= step.count) {
          next();
          return;
        }
        host.narrate(
          step,
          `waiting for ${step.count} connection${step.count === 1 ? '' : 's'} (${host.connectionCount()} open now; open the page in more tabs)`,
        );
        let unsubscribe: () => void = () => {};
        // The listener may fire after `next` ran; the check keeps it from continuing twice.
        unsubscribe = host.onConnectionsChanged(() => {
          if (!ended && cancelWait === stopWaiting && host.connectionCount() >= step.count) next();
        });
        const stopWaiting = (): void => unsubscribe();
        cancelWait = stopWaiting;
        return;
      }
      case 'wait-expectations':
        waitForExpectations(step, next);
        return;
      case 'wait-enter':
        if (host.inputEnded()) {
          host.narrate(step, NO_ENTER);
          next();
          return;
        }
        host.narrate(step, 'press Enter to go on (`stop script` ends the lesson)');
        waitingForEnter = true;
        resume = next;
        cancelWait = () => {
          waitingForEnter = false;
        };
        return;
      case 'narration':
      case 'command':
        return;
    }
  }

  /** Goes on (`next`) once no expectation waits for its verdict. */
  function waitForExpectations(step: ScriptStep | undefined, next: () => void): void {
    const pendingNow = (): number => host.pendingExpectations?.() ?? 0;
    if (pendingNow() === 0) {
      next();
      return;
    }
    if (step !== undefined)
      host.narrate(step, `waiting for ${pendingNow()} expectation${pendingNow() === 1 ? '' : 's'}`);
    let unsubscribe: () => void = () => {};
    unsubscribe = host.onConnectionsChanged(() => {
      if (!ended && cancelWait === stopWaiting && pendingNow() === 0) next();
    });
    const stopWaiting = (): void => unsubscribe();
    cancelWait = stopWaiting;
  }

  /** The connections to wait for now; `elapsedMs` since the last look counts towards a stall. */
  function stillWaiting(elapsedMs: number): boolean {
    const backlog = host.backlog();
    const present = new Set<number>();
    let waiting = false;
    for (const { id, bufferedBytes } of backlog) {
      present.add(id);
      const seen = pending.get(id);
      // Only bytes going down is progress: a stalled client's total grows with each send.
      const quietMs = seen === undefined || bufferedBytes < seen.bytes ? 0 : seen.quietMs + elapsedMs;
      pending.set(id, { bytes: bufferedBytes, quietMs });
      if (quietMs < STALL_MS) waiting = true;
    }
    for (const id of pending.keys()) if (!present.has(id)) pending.delete(id);
    return waiting;
  }

  /** After a command: one turn for I/O, then as long as some connection is still taking its bytes. */
  function pace(): void {
    const look = (elapsedMs: number): void => {
      if (ended) return;
      if (!stillWaiting(elapsedMs)) {
        cancelWait = undefined;
        advance();
        return;
      }
      const timer = setTimeout(() => look(DRAIN_POLL_MS), DRAIN_POLL_MS);
      cancelWait = () => clearTimeout(timer);
    };
    const turn = setImmediate(() => look(0));
    cancelWait = () => clearImmediate(turn);
  }

  function advance(): void {
    while (!ended && index < steps.length) {
      const step = steps[index];
      if (step === undefined) break;
      if (step.kind === 'narration') {
        host.narrate(step, step.text);
      } else if (step.kind === 'command') {
        host.execute(step);
        index += 1;
        pace();
        return;
      } else {
        waitFor(step);
        return;
      }
      index += 1;
    }
    // The script's verdicts are all in before it ends: it waits for its expectations.
    if (index >= steps.length)
      waitForExpectations(undefined, () => {
        cancelWait?.();
        cancelWait = undefined;
        end('finished');
      });
  }

  // Started on the next turn, so the caller can log "running FILE" before its first step.
  setImmediate(advance);

  return {
    file,
    get currentLine() {
      return steps[Math.min(index, steps.length - 1)]?.line ?? 0;
    },
    get waitingForEnter() {
      return waitingForEnter;
    },
    done,
    enter() {
      if (!waitingForEnter || resume === undefined) return false;
      resume();
      return true;
    },
    inputEnded() {
      const step = steps[index];
      if (!waitingForEnter || resume === undefined || step === undefined) return;
      host.narrate(step, NO_ENTER);
      resume();
    },
    stop() {
      if (ended) return false;
      end('stopped');
      return true;
    },
  };
}
