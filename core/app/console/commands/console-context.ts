import type { CommandLanguage } from '../../commands/language.js';
import type { Command, ParseResult } from '../../commands/types.js';
import type { ConnectionInfo, Sse } from '../../../index.js';
import type { ChannelSet } from '../channels.js';
import type { ConsoleControllerOptions } from '../create-console-controller.js';
import type { Expectations } from '../expectations.js';
import type { JobScheduler } from '../jobs.js';
import type { LogFilter } from '../log-filter.js';
import type { RemoteViewer } from '../remote-viewer.js';
import type { RespondPolicy } from '../respond-policy.js';
import type { RunningScript } from '../script-runner.js';
import type { Tour } from '../tour.js';
import type { LogRecord } from '../log-records.js';
import type { LogKind } from '../types.js';

/** The console's session state that commands read and change; the controller snapshots it for the views. */
export interface ConsoleState {
  raw: boolean;
  logFilter: LogFilter;
  remote: RemoteViewer | undefined;
  tour: Tour | undefined;
  script: RunningScript | undefined;
  /** No more typed lines will come (stdin ended in line mode). */
  inputEnded: boolean;
  /** Read only here: change it with `setPolicy`, which also arms the streams' connect hook. */
  readonly policy: RespondPolicy;
}

/** How a lesson script ended, with the verdicts of the expectations armed while it ran. */
export interface ScriptEnd {
  readonly file: string;
  readonly how: 'finished' | 'stopped';
  readonly passed: number;
  readonly failed: number;
}

/** What a command's `run` gets from the console controller. */
export interface ConsoleContext {
  readonly sse: Sse;
  readonly channels: ChannelSet;
  readonly jobs: JobScheduler;
  readonly options: ConsoleControllerOptions;
  readonly state: ConsoleState;
  readonly now: () => number;
  /** Logs one line (cut to the display budget; errors and warnings escaped). */
  readonly emit: (kind: LogKind, text: string, fields?: LogRecord) => void;
  /** Logs each line as command output. */
  readonly output: (lines: readonly string[]) => void;
  /** The snapshot is stale: views redraw once per tick. */
  readonly changed: () => void;
  readonly quit: () => void;
  /** The console's command language (`help` explains it, `every` checks against it). */
  readonly language: CommandLanguage;
  /** The parser, for a job's tokens and a script's lines. */
  readonly parseTokens: (tokens: readonly string[]) => ParseResult;
  readonly parseLine: (line: string) => ParseResult;
  /** Calls `listener` after each change (a script waits for connections this way); returns the unsubscriber. */
  readonly onChange: (listener: () => void) => () => void;
  /** Runs another command (a job's tick, a script line); a failure becomes an error line. */
  readonly runCommand: (command: Command) => void;
  /** Runs `action` with error lines prefixed by `origin` (a script's FILE:LINE). */
  readonly withOrigin: (origin: string, action: () => void) => void;
  /** The script line running now (FILE:LINE), if a script's command runs: an `expect` names it in its verdict. */
  readonly origin: () => string | undefined;
  /** The armed `expect`s and the tally of their verdicts. */
  readonly expectations: Expectations;
  /** A lesson script ended: the CLI's line mode ends the process on a script that used `expect`. */
  readonly scriptEnded: (end: ScriptEnd) => void;
  readonly setPolicy: (policy: RespondPolicy) => void;
  /** Stops the running script; false when none runs. */
  readonly stopScript: () => boolean;
  /** Every live connection, main stream and channels, by number. */
  readonly allConnections: () => readonly ConnectionInfo[];
  /** The stream that holds connection `id`, if it is live. */
  readonly streamOf: (id: number) => Sse | undefined;
  /** The columns an answer gets in the view that shows it; undefined: no limit (line mode). */
  readonly viewWidth: () => number | undefined;
  /** The main log changed other than by a send (an asynchronous store's clear): read it again for the views. */
  readonly historyChanged: () => void;
}
