import { isRemoteControlled } from './remote-viewer.js';
import type { LogEntry, LogKind } from './types.js';

/**
How many activity lines (sends, connects, page requests …) reach the screen. A job
sending every 10 ms or a reconnect storm can log thousands of lines a second, which
nobody can read and which the terminal, and Ink (it keeps a copy of everything
written through <Static> to repaint after a full clear), would have to hold. Past the
budget, activity lines are counted instead and summed up in one line; what the user
typed and its answers (of any kind: `stop all` answers with a job line) are always
shown. A line a remote server controls (`connect` inside the console) is activity
whatever its kind: its warnings and errors are spent from the same budget, or a
server could flood the log with them.

Pure (no React): the TUI and line mode both use it.
*/

/** Kinds never held back: the user's own commands, their answers and problems. */
const alwaysShownKinds: ReadonlySet<LogKind> = new Set<LogKind>([
  'command',
  'output',
  'error',
  'warn',
  'info',
  'clear',
]);

/**
True for a line no budget holds back: the user's own commands, their replies (whatever
their kind: `stop` answers with a job line) and the console's problems; never a line a
remote server controls.
*/
export function isAlwaysShown(entry: Pick<LogEntry, 'kind' | 'fields' | 'reply'>): boolean {
  return (alwaysShownKinds.has(entry.kind) || entry.reply === true) && !isRemoteControlled(entry);
}

export interface LogBudgetOptions {
  /** Activity lines shown per second, sustained. Default 50. */
  readonly perSecond?: number;
  /** Activity lines that may be shown at once after a quiet spell. Default 200. */
  readonly burst?: number;
}

interface AdmittedLog {
  readonly shown: readonly LogEntry[];
  /** Activity lines held back, by kind. */
  readonly skipped: ReadonlyMap<LogKind, number>;
}

export interface LogBudget {
  readonly perSecond: number;
  /** Splits a batch into lines to show and lines to count, spending the budget. */
  admit(entries: readonly LogEntry[], now: number): AdmittedLog;
}

/** A token bucket: `burst` tokens, refilled at `perSecond`; one activity line costs one. */
export function createLogBudget(options: LogBudgetOptions = {}): LogBudget {
  const perSecond = options.perSecond ?? 50;
  const burst = options.burst ?? 200;
  let tokens = burst;
  let refilledAt: number | undefined;
  return {
    perSecond,
    admit(entries, now) {
      if (refilledAt !== undefined) tokens = Math.min(burst, tokens + ((now - refilledAt) * perSecond) / 1000);
      refilledAt = now;
      const shown: LogEntry[] = [];
      const skipped = new Map<LogKind, number>();
      for (const entry of entries) {
        if (isAlwaysShown(entry)) {
          shown.push(entry);
        } else if (tokens >= 1) {
          tokens -= 1;
          shown.push(entry);
        } else {
          skipped.set(entry.kind, (skipped.get(entry.kind) ?? 0) + 1);
        }
      }
      return { shown, skipped };
    },
  };
}

/** Adds counts of held-back lines, by kind. */
export function addSkipped(into: Map<LogKind, number>, from: ReadonlyMap<LogKind, number>): void {
  for (const [kind, count] of from) into.set(kind, (into.get(kind) ?? 0) + count);
}

/** One line that says how many lines were held back and where the full picture is. */
export function skippedSummary(skipped: ReadonlyMap<LogKind, number>, perSecond: number): string | undefined {
  let total = 0;
  for (const count of skipped.values()) total += count;
  if (total === 0) return undefined;
  const kinds = [...skipped].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${count}`);
  return (
    `… ${total} log lines not shown (${kinds.join(', ')}): the log shows about ${perSecond} activity lines a second; ` +
    'the panes below, `conns` and `history` show the current state'
  );
}
