import type { LogEntry } from './types.js';

/** Log lines kept for the first view while none listens yet (start-up notes, early connects). */
const backlogLimit = 500;

/**
What a console controller hands to its views: log lines (held, up to a bound, until
the first view listens, which then gets them in order), change notices (at most one
per event-loop turn, however many changes came) and quit requests. The console and
proxy mode share it, so their views behave the same.
*/
export interface LogBus {
  readonly publish: (entry: LogEntry) => void;
  /** Tells the change listeners once, on the next turn. */
  readonly changed: () => void;
  readonly quit: () => void;
  readonly onLog: (listener: (entry: LogEntry) => void) => () => void;
  readonly onChange: (listener: () => void) => () => void;
  readonly onQuit: (listener: () => void) => () => void;
}

export function createLogBus(): LogBus {
  const logListeners = new Set<(entry: LogEntry) => void>();
  const changeListeners = new Set<() => void>();
  const quitListeners = new Set<() => void>();
  let backlog: LogEntry[] | undefined = [];
  let changeQueued = false;

  return {
    publish(entry) {
      if (backlog) {
        backlog.push(entry);
        if (backlog.length > backlogLimit) backlog.shift();
        return;
      }
      for (const listener of logListeners) listener(entry);
    },
    changed() {
      if (changeQueued) return;
      changeQueued = true;
      setImmediate(() => {
        changeQueued = false;
        for (const listener of changeListeners) listener();
      });
    },
    quit() {
      for (const listener of quitListeners) listener();
    },
    onLog(listener) {
      logListeners.add(listener);
      if (backlog) {
        const pending = backlog;
        backlog = undefined;
        for (const entry of pending) listener(entry);
      }
      return () => {
        logListeners.delete(listener);
      };
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => {
        changeListeners.delete(listener);
      };
    },
    onQuit(listener) {
      quitListeners.add(listener);
      return () => {
        quitListeners.delete(listener);
      };
    },
  };
}
