import type { ConnectionInfo, HistoryRecord } from '../../index.js';
import type { ScriptEnd } from './commands/console-context.js';
import type { LogRecord } from './log-records.js';
import type { ScreenModel } from './screen-model.js';
import type { TourStepView } from './tour.js';

/** What kind of line the console log holds; the views colour and filter by it. */
export type LogKind =
  | 'command' // the line the user typed, echoed
  | 'output' // a command's answer (help text, tables, confirmations)
  | 'error' // a command's mistake or a failure, one clear line
  | 'warn'
  | 'info'
  | 'connect'
  | 'disconnect'
  | 'send'
  | 'comment'
  | 'replay'
  | 'gap'
  | 'refused'
  | 'page' // a request to the page listener (GET, POST …)
  | 'job' // an `every` job started, stopped or failed
  | 'raw' // exact bytes of a send, line endings made visible (`raw on`)
  | 'remote' // what a `connect URL` client saw
  | 'clear'; // the user asked to clear the log view

export interface LogEntry {
  /** Increasing from 1; views use it as a React key. */
  readonly seq: number;
  /** Epoch ms. */
  readonly time: number;
  readonly kind: LogKind;
  readonly text: string;
  /** The structured record behind the line, written by `--json` (core/app/console/log-records.ts). */
  readonly fields?: LogRecord;
  /** Logged while a line the user typed ran: its answer, which views never hold back. */
  readonly reply?: true;
}

export interface JobInfo {
  readonly id: number;
  readonly intervalMs: number;
  readonly source: string;
  readonly runs: number;
  readonly startedAt: number;
}

export interface RemoteStreamInfo {
  readonly url: string;
  readonly state: 'connecting' | 'open' | 'closed';
  readonly events: number;
}

/** Everything the views render besides the log; replaced (never mutated) on change. */
export interface ConsoleSnapshot {
  readonly sseUrl: string;
  readonly pagesUrl: string;
  readonly connections: readonly ConnectionInfo[];
  /** The replay log (views show the newest rows). */
  readonly history: readonly HistoryRecord[];
  readonly nextId: number;
  readonly jobs: readonly JobInfo[];
  /** The `respond` policy in words, e.g. "200 (stream)" or "401 once". */
  readonly respondPolicy: string;
  readonly raw: boolean;
  /** The last typed line and its answer in one line, for a fixed place on screen. */
  readonly lastReply?: { readonly command: string; readonly answer: string };
  /** The tour's current step (its heading and what to do first), while a tour runs. */
  readonly tourStep?: TourStepView;
  /** `filter`/`pause` in words, when the log is filtered or paused. */
  readonly logFilter?: string;
  readonly remote?: RemoteStreamInfo;
  /** What the screen says around the data: each controller's own, so it offers only what that controller accepts. */
  readonly screen: ScreenModel;
  /** Increases with every change; views can skip work when it is unchanged. */
  readonly version: number;
}

export interface Completion {
  /** Index in the line where the completed word starts. */
  readonly from: number;
  /** Candidate replacements for line.slice(from, cursor), sorted. */
  readonly candidates: readonly string[];
}

/**
The console controller: the one place commands are executed, whether they come
from the TUI prompt or from stdin in line mode.
*/
export interface ConsoleController {
  /** Parse and run one typed line; answers and errors arrive as log entries. */
  execute(line: string): void;
  snapshot(): ConsoleSnapshot;
  /**
  Every log entry from now on, in order. Entries logged before the first listener
  subscribed are kept (bounded) and handed to that first listener, so start-up
  messages are not lost while a view mounts.
  */
  onLog(listener: (entry: LogEntry) => void): () => void;
  /** Add a line to the log from outside a command (start-up notes, page requests). */
  log(kind: LogKind, text: string, fields?: LogRecord): void;
  /** Called (at most once per tick) after the snapshot changed. */
  onChange(listener: () => void): () => void;
  /** Ctrl+C: stops the running lesson script; false (nothing stopped) means Ctrl+C should quit. */
  interrupt(): boolean;
  /** No more lines will be typed (stdin ended in line mode): a script's `wait enter` goes on, saying so. */
  inputEnded(): void;
  /** Called when a lesson script ends, with the verdicts of the `expect`s it armed (line mode exits on them). */
  onScriptEnd(listener: (end: ScriptEnd) => void): () => void;
  /** Called when the user typed `quit`. */
  onQuit(listener: () => void): () => void;
  complete(line: string, cursor?: number): Completion;
  /**
  The display columns a command's answer gets where it is shown (the TUI's log, after
  the time); undefined (line mode): no limit. `conns` and `help` lay their rows out
  to it, so a row is not broken by the terminal.
  */
  setViewWidth(columns: number | undefined): void;
  /** Stop jobs, clients and both listeners; resolves when ports are free. */
  dispose(): Promise<void>;
}
