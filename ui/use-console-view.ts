import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleController, ConsoleSnapshot, LogEntry, LogKind } from '../core/app/console/types.js';
import { addSkipped, createLogBudget, skippedSummary, type LogBudgetOptions } from '../core/app/console/log-budget.js';

/** One line for the log view; `key` is unique for the whole run. */
export interface LogLine {
  readonly key: string;
  readonly time: number;
  readonly kind: LogKind;
  readonly text: string;
}

/** The log lines that arrived in one frame; a new `id` means new lines to write. */
export interface LogBatch {
  readonly id: number;
  readonly lines: readonly LogLine[];
}

interface ConsoleView {
  readonly snapshot: ConsoleSnapshot;
  readonly log: LogBatch;
  /** The clock when the snapshot was taken, for ages. */
  readonly now: number;
}

export interface ConsoleViewHandle extends ConsoleView {
  /**
  Writes the newest `count` log lines again, as a new batch (after the caller cleared
  the screen): after a resize or the help overlay, the rows on screen are stale or
  were pushed into the scrollback.
  */
  readonly repaint: (count: number) => void;
}

/** Log lines kept for a repaint: more than any terminal shows. */
const recentLimit = 200;

export interface ConsoleViewOptions {
  /**
  Shortest time between two renders caused by the controller. Default 50 ms; twice
  that while the log budget holds lines back, four times once it has held lines back
  for `sustainedFloodMs`.
  */
  readonly frameMs?: number;
  /** How often the panes refresh with nothing reported (ages, buffered bytes). Default 1000 ms. */
  readonly refreshMs?: number;
  /** Called, before the lines that follow it are shown, when the log has a `clear` entry. */
  readonly onClear?: () => void;
  readonly budget?: LogBudgetOptions;
  /** Most log entries held between two frames; more are counted, not kept. Default 5000. */
  readonly pendingLimit?: number;
  readonly now?: () => number;
}

/** Dropping lines this long without a break makes the flood a sustained one: a quarter of the frame rate. */
export const sustainedFloodMs = 2000;

/** Shortest time between two "lines not shown" notes, so a flood gets one note a second. */
const summaryEveryMs = 1000;

/**
The controller's state for React, at a bounded frame rate. Log entries and change
notices are collected as they come and handed over together at most once per frame,
in one state update, so a flood of events costs one render per frame, not one per
event; the memory held is bounded by `pendingLimit` and the log budget.
*/
export function useConsoleView(controller: ConsoleController, options: ConsoleViewOptions = {}): ConsoleViewHandle {
  const clock = options.now ?? Date.now;
  const [view, setView] = useState<ConsoleView>(() => ({
    snapshot: controller.snapshot(),
    log: { id: 0, lines: [] },
    now: clock(),
  }));

  // The effect reads these once per controller: they configure the view, they do not drive it.
  const { frameMs = 50, refreshMs = 1000, pendingLimit = 5000, budget: budgetOptions } = options;
  const onClear = useRef(options.onClear);
  onClear.current = options.onClear;
  const recent = useRef<LogLine[]>([]);
  const repaints = useRef(0);
  const repaint = useCallback((count: number) => {
    const again = recent.current.slice(-Math.max(0, count));
    const round = ++repaints.current;
    setView((previous) => ({
      ...previous,
      log: { id: previous.log.id + 1, lines: again.map((line) => ({ ...line, key: `${line.key}-again-${round}` })) },
    }));
  }, []);

  useEffect(() => {
    const budget = createLogBudget(budgetOptions);
    let pending: LogEntry[] = [];
    let skipped = new Map<LogKind, number>();
    let summaryAt = Number.NEGATIVE_INFINITY;
    let summaries = 0;
    let dirty = false;
    // How many times frameMs the next frame waits: 2 while the last frame held lines back
    // (the log is flooded), 4 once that has lasted `sustainedFloodMs` (see `schedule`).
    let slowdown = 1;
    /** When the frames started holding lines back without a break; undefined: the last one did not. */
    let droppingSince: number | undefined;
    /** True while the pending frame waits longer than frameMs (the flood's pace). */
    let paced = false;
    let frame: NodeJS.Timeout | undefined;
    let active = true;
    /** Entries counted rather than kept since the last frame (past `pendingLimit`). */
    let overflowed = false;

    const flush = (): void => {
      frame = undefined;
      if (!active) return;
      const now = clock();
      let entries = pending;
      pending = [];
      const lastClear = entries.findLastIndex((entry) => entry.kind === 'clear');
      if (lastClear >= 0) {
        // Nothing before a clear needs writing; neither does the count of what it hid.
        entries = entries.slice(lastClear + 1);
        skipped = new Map();
        recent.current = [];
        onClear.current?.();
      }
      const admitted = budget.admit(entries, now);
      if (admitted.skipped.size > 0 || overflowed) {
        droppingSince ??= now;
        slowdown = now - droppingSince >= sustainedFloodMs ? 4 : 2;
      } else {
        droppingSince = undefined;
        slowdown = 1;
      }
      overflowed = false;
      addSkipped(skipped, admitted.skipped);
      const lines: LogLine[] = admitted.shown.map((entry) => ({
        key: String(entry.seq),
        time: entry.time,
        kind: entry.kind,
        text: entry.text,
      }));
      if (skipped.size > 0 && now - summaryAt >= summaryEveryMs) {
        const text = skippedSummary(skipped, budget.perSecond);
        if (text !== undefined) lines.push({ key: `skipped-${++summaries}`, time: now, kind: 'warn', text });
        skipped = new Map();
        summaryAt = now;
      }
      if (lines.length > 0) {
        recent.current.push(...lines);
        if (recent.current.length > recentLimit) recent.current.splice(0, recent.current.length - recentLimit);
      }
      const snapshot = dirty ? controller.snapshot() : undefined;
      dirty = false;
      setView((previous) => ({
        snapshot: snapshot ?? previous.snapshot,
        log: lines.length > 0 ? { id: previous.log.id + 1, lines } : previous.log,
        now,
      }));
    };

    // While the budget drops lines, a frame mostly redraws the panes and adds a line
    // or two: at half the rate the screen costs half as much (issue 26), and the log
    // shows as much, since the budget, not the frame rate, decides what it admits. A
    // flood that goes on (2 s) gets a quarter of the rate: the panes scroll faster than
    // anyone reads them, and at 1,000 connections the process is saturated by the
    // fan-out, so every frame not drawn is CPU the stream gets. The prompt is not drawn
    // here, so typing echoes as fast as ever.
    const schedule = (): void => {
      if (frame !== undefined) return;
      paced = slowdown > 1;
      frame = setTimeout(flush, frameMs * slowdown);
    };
    // The answer to a typed command is not kept waiting by the flood's pace: the frame
    // that shows it comes at most frameMs later.
    const hurry = (): void => {
      if (frame === undefined || !paced) return;
      clearTimeout(frame);
      paced = false;
      frame = setTimeout(flush, frameMs);
    };

    const stopLog = controller.onLog((entry) => {
      if (pending.length < pendingLimit || entry.kind === 'clear' || entry.reply === true) {
        pending.push(entry);
      } else {
        skipped.set(entry.kind, (skipped.get(entry.kind) ?? 0) + 1);
        overflowed = true;
      }
      schedule();
      if (entry.reply === true) hurry();
    });
    const stopChange = controller.onChange(() => {
      dirty = true;
      schedule();
    });
    const refresh = setInterval(() => {
      dirty = true;
      schedule();
    }, refreshMs);
    // Anything that changed between the first render and now.
    dirty = true;
    schedule();

    return () => {
      active = false;
      stopLog();
      stopChange();
      clearInterval(refresh);
      if (frame !== undefined) clearTimeout(frame);
    };
  }, [controller]);

  return { ...view, repaint };
}
