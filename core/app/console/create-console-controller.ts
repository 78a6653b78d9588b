import type { CommandLanguage } from '../commands/language.js';
import type { Command } from '../commands/types.js';
import {
  type ConnectionInfo,
  createSse,
  type HistoryRecord,
  redactUrlsIn,
  type Sse,
  type SseLifecycleEvent,
} from '../../index.js';
import { createChannelSet, type ChannelSet } from './channels.js';
import type { ConsoleContext, ConsoleState, ScriptEnd } from './commands/console-context.js';
import { createExpectations } from './expectations.js';
import { createJobScheduler } from './jobs.js';
import { createLogBus } from './log-bus.js';
import { logEntry, summarizesReply } from './log-entry.js';
import { describeLifecycle } from './lifecycle-log.js';
import { describeFilter, openFilter, passes } from './log-filter.js';
import { answerFor, describePolicy, isNormal, normalPolicy, type RespondPolicy } from './respond-policy.js';
import type { LogRecord } from './log-records.js';
import type { Completion, ConsoleController, ConsoleSnapshot, LogEntry, LogKind } from './types.js';
import { errorMessage } from './error-message.js';
import { consoleScreen } from './console-screen.js';
import { consoleLanguage } from './console-language.js';
import { summarizeReply } from './reply-summary.js';
import { heldEvents, type ConsoleStores } from './console-store.js';

/** A demo page as the console lists it. */
interface ConsolePage {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
}

export interface ConsoleControllerOptions {
  readonly sse: Sse;
  readonly sseUrl: string;
  readonly pagesUrl: string;
  readonly pages?: readonly ConsolePage[];
  /** Opens a URL in the user's browser; absent means "print it instead". */
  readonly openUrl?: (url: string) => Promise<void> | void;
  readonly now?: () => number;
  /** Stops the listeners the console runs; `dispose()` awaits it. */
  readonly stopServers?: () => Promise<void>;
  /**
  The stores behind the streams (`--history-file`, `--redis`); default: the streams'
  own memory logs. With an asynchronous store, stored sends use `publish` and the
  log shown is read from the store.
  */
  readonly stores?: ConsoleStores;
  /** Events the stream keeps (its historyLimit), so `history load` keeps only those. */
  readonly historyLimit?: number;
  /** The main stream (`sse`) and its channels; default: channels made with createSse defaults. */
  readonly channels?: ChannelSet;
  /** Where the shipped lesson scripts are, so `source reconnect` finds one by name. */
  readonly lessonsDir?: string;
  /** The commands it understands; default: the console's own list (console-language.ts). */
  readonly language?: CommandLanguage;
}

export function createConsoleController(options: ConsoleControllerOptions): ConsoleController {
  const { sse, sseUrl, pagesUrl, pages = [], language = consoleLanguage } = options;
  const { parseCommandLine, parseTokens } = language;
  const now = options.now ?? Date.now;
  const jobs = createJobScheduler(now);
  const bus = createLogBus();
  const expectations = createExpectations();
  const scriptEndListeners = new Set<(end: ScriptEnd) => void>();
  let seq = 0;
  let version = 0;
  let cached: ConsoleSnapshot | undefined;
  let cachedAt = 0;
  let disposed = false;
  /** Above 0 while a typed line runs: what it logs then is its reply. */
  let replying = 0;
  /** What the running typed line logged (its answer), and the last line with its answer. */
  let replyLines: LogEntry[] = [];
  let lastReply: ConsoleSnapshot['lastReply'];
  /** What commands read and change (core/app/console/commands). */
  const state: ConsoleState & { policy: RespondPolicy } = {
    raw: false,
    logFilter: openFilter,
    remote: undefined,
    tour: undefined,
    script: undefined,
    inputEnded: false,
    policy: normalPolicy,
  };
  /** The script line whose command runs now: its errors name the file and line. */
  let scriptOrigin: string | undefined;
  /** Columns the view gives an answer (setViewWidth); undefined: line mode, no limit. */
  let viewWidth: number | undefined;

  function emit(kind: LogKind, text: string, fields?: LogRecord): void {
    const located = kind === 'error' && scriptOrigin !== undefined ? `${scriptOrigin}: ${text}` : text;
    const entry = logEntry(++seq, now(), kind, located, fields, replying > 0);
    if (replying > 0 && summarizesReply(entry)) replyLines.push(entry);
    if (!passes(entry, state.logFilter)) {
      if (state.logFilter.paused) state.logFilter = { ...state.logFilter, heldBack: state.logFilter.heldBack + 1 };
      return;
    }
    bus.publish(entry);
  }

  function output(lines: readonly string[]): void {
    for (const line of lines) emit('output', line);
  }

  /** Marks the snapshot stale and tells views once per tick, however many changes came. */
  function changed(): void {
    version += 1;
    cached = undefined;
    bus.changed();
  }

  function onLifecycle(event: SseLifecycleEvent): void {
    for (const line of describeLifecycle(event, now(), state.raw, !isNormal(state.policy)))
      emit(line.kind, line.text, line.fields);
    const tour = state.tour;
    if (tour?.active) {
      for (const line of tour.observe(event)) emit('info', line, { type: 'tour' });
      // The stream writes a new connection's replay right after `connected`, in the same
      // turn: the tour judges the tab once that is done, on what it was actually sent.
      if (event.type === 'connected') {
        const { connection } = event;
        queueMicrotask(() => {
          if (disposed || state.tour !== tour) return;
          const lines = tour.settle(connection.info());
          for (const line of lines) emit('info', line, { type: 'tour' });
          if (lines.length > 0) changed();
        });
      }
    }
    changed();
  }
  const channels = options.channels ?? createChannelSet(sse, (name) => createSse({ channel: name }));
  const unsubscribers = [sse.subscribe(onLifecycle)];

  const { stores } = options;
  /** An asynchronous store's log, as last read: the views cannot wait for a read. */
  let heldHistory: readonly HistoryRecord[] = [];
  let reading = false;
  let readAgain = false;
  /** Reads the main log again (one read at a time; a change during a read reads once more). */
  function refreshHistory(): void {
    if (stores?.asynchronous !== true || disposed) {
      changed();
      return;
    }
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    heldEvents(stores.main)
      .then(
        (events) => {
          heldHistory = events;
        },
        () => {
          // The store is unreachable: the last log read stays on screen; sends say why.
        },
      )
      .finally(() => {
        reading = false;
        changed();
        if (readAgain) {
          readAgain = false;
          refreshHistory();
        }
      });
  }
  if (stores?.asynchronous === true) {
    unsubscribers.push(
      sse.subscribe((event) => {
        if (event.type === 'history-changed' || (event.type === 'sent' && event.event.id !== undefined))
          refreshHistory();
      }),
    );
    refreshHistory();
  }
  /** The main log for the views. */
  const shownHistory = (): readonly HistoryRecord[] => (stores?.asynchronous === true ? heldHistory : sse.history);

  /** A channel's lifecycle is logged like the main stream's, marked with its name. */
  function watchChannel(name: string, channel: Sse): void {
    channel.setOnConnect(isNormal(state.policy) && !state.policy.once ? undefined : answerStream);
    unsubscribers.push(
      channel.subscribe((event) => {
        for (const line of describeLifecycle(event, now(), state.raw, !isNormal(state.policy))) {
          emit(line.kind, `[${name}] ${line.text}`, { ...line.fields, channel: name });
        }
        changed();
      }),
    );
  }
  for (const { name, sse: channel } of channels.list()) watchChannel(name, channel);
  unsubscribers.push(channels.onAdded(watchChannel));

  /** Every live connection, main stream and channels, by number. */
  function allConnections(): readonly ConnectionInfo[] {
    // `info()` builds a snapshot of a connection: take each stream's once
    // (at 1,000 connections a redraw otherwise built 3,000).
    const lists = channels.all().map((stream) => stream.connections.map((connection) => connection.info()));
    const [only] = lists;
    if (lists.length === 1 && only !== undefined) return only;
    return lists.flat().sort((a, b) => a.id - b.id);
  }

  /** The stream that holds connection `id`, if it is live. */
  function streamOf(id: number): Sse | undefined {
    return channels.all().find((stream) => stream.connections.some((c) => c.id === id));
  }

  function setPolicy(next: RespondPolicy): void {
    state.policy = next;
    for (const stream of channels.all()) stream.setOnConnect(isNormal(next) && !next.once ? undefined : answerStream);
    changed();
  }

  /**
  The stream's connect hook: it runs only for a stream request that passed every
  other check, so a one-time answer is used up by exactly the request it answered
  (not by a 405 POST, and also when the answer is a 200 with headers).
  */
  function answerStream(): ReturnType<typeof answerFor> {
    const answer = answerFor(state.policy);
    if (state.policy.once) {
      const used = describePolicy(state.policy);
      setPolicy(normalPolicy);
      emit(
        'info',
        `respond: the one-time answer (${used.replace(' once', '')}) was used; new connections stream again`,
      );
    }
    return answer;
  }

  const context: ConsoleContext = {
    sse,
    channels,
    jobs,
    options,
    state,
    now,
    emit,
    output,
    changed,
    quit: () => bus.quit(),
    language,
    parseTokens,
    parseLine: parseCommandLine,
    onChange: bus.onChange,
    runCommand: runSafely,
    withOrigin(origin, action) {
      scriptOrigin = origin;
      try {
        action();
      } finally {
        scriptOrigin = undefined;
      }
    },
    origin: () => scriptOrigin,
    expectations,
    scriptEnded(end) {
      for (const listener of scriptEndListeners) listener(end);
    },
    setPolicy,
    stopScript,
    allConnections,
    streamOf,
    viewWidth: () => viewWidth,
    historyChanged: refreshHistory,
  };

  function stopScript(): boolean {
    const running = state.script;
    if (running === undefined) return false;
    const line = running.currentLine;
    if (!running.stop()) return false;
    // Cleared now, not when `done` settles, so a `source` right after starts at once.
    state.script = undefined;
    changed();
    emit('info', `script ${running.file} stopped at line ${line}`, {
      type: 'script',
      state: 'stopped',
      file: running.file,
      line,
    });
    return true;
  }

  /** Runs a command; a failure becomes an error line, never an exception. */
  function runSafely(command: Command): void {
    try {
      language.run(command, context);
    } catch (error) {
      emit('error', errorMessage(error));
    }
  }

  function buildSnapshot(): ConsoleSnapshot {
    const filtered = describeFilter(state.logFilter);
    const connections = allConnections();
    const jobList = jobs.list();
    return {
      sseUrl,
      pagesUrl,
      connections,
      history: shownHistory(),
      nextId: sse.nextId,
      jobs: jobList,
      respondPolicy: describePolicy(state.policy),
      raw: state.raw,
      ...(lastReply === undefined ? {} : { lastReply }),
      ...(state.tour?.active ? { tourStep: state.tour.current() ?? { heading: 'tour' } } : {}),
      ...(filtered === undefined ? {} : { logFilter: filtered }),
      ...(state.remote ? { remote: state.remote.info() } : {}),
      screen: consoleScreen({
        commandHelp: language.commandOverviewLines,
        sseUrl,
        pagesUrl,
        connections: connections.length,
        history: shownHistory(),
        // A store with ids of its own (Redis) has no next number to show.
        ...(stores?.asynchronous === true && stores.main.nextId === undefined ? {} : { nextId: sse.nextId }),
        store: stores?.kind ?? 'memory',
        jobs: jobList.length,
      }),
      version,
    };
  }

  return {
    execute(line) {
      if (disposed) return;
      if (line.trim() === '') {
        // Enter on an empty prompt is what `wait enter` waits for.
        state.script?.enter();
        return;
      }
      replying += 1;
      replyLines = [];
      try {
        // Echoed with any token in a URL as ***, as every other line shows it.
        emit('command', redactUrlsIn(line));
        const parsed = parseCommandLine(line);
        if (!parsed.ok) {
          emit('error', parsed.error);
          return;
        }
        runSafely(parsed.command);
      } finally {
        replying -= 1;
        lastReply = { command: redactUrlsIn(line), answer: summarizeReply(replyLines) };
        replyLines = [];
        changed();
      }
    },
    snapshot() {
      // Buffered bytes and ages change without events, so a snapshot older than a
      // quarter second is rebuilt even when nothing was reported.
      if (!cached || now() - cachedAt > 250) {
        cached = buildSnapshot();
        cachedAt = now();
      }
      return cached;
    },
    onLog: bus.onLog,
    onChange: bus.onChange,
    onQuit: bus.onQuit,
    onScriptEnd(listener) {
      scriptEndListeners.add(listener);
      return () => {
        scriptEndListeners.delete(listener);
      };
    },
    log(kind, text, fields) {
      emit(kind, text, fields);
    },
    interrupt() {
      return stopScript();
    },
    inputEnded() {
      state.inputEnded = true;
      state.script?.inputEnded();
    },
    complete(line, cursor): Completion {
      return language.complete(line, cursor, ['index', ...pages.map((page) => page.name)]);
    },
    setViewWidth(columns) {
      viewWidth = columns === undefined || columns < 1 ? undefined : Math.floor(columns);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      state.script?.stop();
      jobs.stopAll();
      expectations.cancelAll();
      state.remote?.close();
      // Stop the servers while still subscribed, so each stream's end is logged.
      await options.stopServers?.();
      for (const unsubscribe of unsubscribers) unsubscribe();
      if (options.channels === undefined) channels.stopChannels();
    },
  };
}
