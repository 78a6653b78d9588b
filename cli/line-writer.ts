import { createLogBudget, isAlwaysShown, skippedSummary } from '../core/app/console/log-budget.js';
import { isRemoteControlled } from '../core/app/console/remote-viewer.js';
import type { LogEntry, LogKind } from '../core/app/console/types.js';

/** Output held for a reader that stopped reading, past which activity lines are dropped. */
const MAX_PENDING_OUTPUT_BYTES = 8 * 1024 * 1024;

export interface LineWriterOptions {
  readonly output: NodeJS.WriteStream;
  /** The entry as one output line (without its newline); undefined writes nothing. */
  readonly format: (entry: LogEntry) => string | undefined;
  /** Called once when the output has gone away (EPIPE: the reader closed it). */
  readonly onClosed: () => void;
  /**
  Lines that are activity beside those the log budget calls so (proxy mode: its
  app's warnings); activity is dropped, with a summary, while the reader is not reading.
  */
  readonly isActivity?: (entry: LogEntry) => boolean;
  readonly now?: () => number;
}

export interface LineWriter {
  write(entry: LogEntry): void;
}

/**
Line mode's output, bounded the way the TUI's log is:
- lines a remote server controls (`connect` inside the console) spend the same
  per-second budget as the TUI's, so a server cannot flood a script's output;
- while the reader is not reading (more than MAX_PENDING_OUTPUT_BYTES are waiting
  besides the longest line written since the output last drained),
  activity lines are counted instead of queued without limit, and one summary line
  says how many were dropped once the output drains. The user's commands, their
  replies and the console's problems are always written.
A closed output ends line mode quietly (no EPIPE stack trace).
*/
export function createLineWriter(options: LineWriterOptions): LineWriter {
  const { output, format } = options;
  const now = options.now ?? Date.now;
  const budget = createLogBudget();
  let open = true;
  let dropped = new Map<LogKind, number>();
  let overBudget = new Map<LogKind, number>();
  let summaryTimer: NodeJS.Timeout | undefined;

  const count = (into: Map<LogKind, number>, kind: LogKind): void => {
    into.set(kind, (into.get(kind) ?? 0) + 1);
  };

  /** The longest line written since the output last drained: one huge line is not a stalled reader. */
  let longestSinceDrain = 0;

  const writeLine = (line: string): void => {
    if (!open) return;
    longestSinceDrain = Math.max(longestSinceDrain, Buffer.byteLength(line) + 1);
    output.write(`${line}\n`);
  };

  const summary = (skipped: Map<LogKind, number>, why: string, seq: number): void => {
    const text = skippedSummary(skipped, budget.perSecond);
    if (text === undefined) return;
    const line = format({
      seq,
      time: now(),
      kind: 'warn',
      text: `${text} (${why})`,
      fields: { type: 'skipped', reason: why, counts: Object.fromEntries(skipped) },
    });
    if (line !== undefined) writeLine(line);
  };

  output.on('error', () => {
    if (!open) return;
    open = false;
    options.onClosed();
  });
  output.on('drain', () => {
    longestSinceDrain = 0;
    if (dropped.size === 0) return;
    const skipped = dropped;
    dropped = new Map();
    summary(skipped, 'the output was not being read', 0);
  });

  /** One note a second at most about lines over the budget, as the TUI does. */
  const scheduleSummary = (): void => {
    summaryTimer ??= setTimeout(() => {
      summaryTimer = undefined;
      const skipped = overBudget;
      overBudget = new Map();
      summary(skipped, 'a remote server sent more than the log shows', 0);
    }, 1000);
    summaryTimer.unref();
  };

  return {
    write(entry) {
      if (!open) return;
      const activity = !isAlwaysShown(entry) || options.isActivity?.(entry) === true;
      if (activity && isRemoteControlled(entry) && budget.admit([entry], now()).shown.length === 0) {
        count(overBudget, entry.kind);
        scheduleSummary();
        return;
      }
      // A reader that reads but has one long line (a 16 Mi event in --json) to take
      // first is not a stalled one: the lines behind that line still go out.
      if (activity && output.writableLength > MAX_PENDING_OUTPUT_BYTES + longestSinceDrain) {
        count(dropped, entry.kind);
        return;
      }
      const line = format(entry);
      if (line !== undefined) writeLine(line);
    },
  };
}
