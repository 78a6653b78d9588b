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
}

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
  /** Stops the script at its current step; false if it had already ended. */
  stop(): boolean;
}

/**
Runs a parsed lesson script step by step. Commands run one after another in the same
turn until a `sleep` or `wait` step, so a run of sends leaves as one write (the
stream coalesces them) and the log shows them in order.
*/
export function runScript(file: string, steps: readonly ScriptStep[], host: ScriptHost): RunningScript {
  let index = 0;
  let ended = false;
  let waitingForEnter = false;
  let resume: (() => void) | undefined;
  let cancelWait: (() => void) | undefined;
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
      case 'wait-enter':
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

  function advance(): void {
    while (!ended && index < steps.length) {
      const step = steps[index];
      if (step === undefined) break;
      if (step.kind === 'narration') {
        host.narrate(step, step.text);
      } else if (step.kind === 'command') {
        host.execute(step);
      } else {
        waitFor(step);
        return;
      }
      index += 1;
    }
    if (index >= steps.length) end('finished');
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
    stop() {
      if (ended) return false;
      end('stopped');
      return true;
    },
  };
}
