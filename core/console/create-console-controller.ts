import { complete as completeLine, helpLines, parseCommandLine, parseTokens, substitutePlaceholders } from '../commands/index.js';
import type { Command } from '../commands/types.js';
import { readHistoryFile, writeHistoryFile } from '../history-file/history-file-io.js';
import type { HistoryStore } from '../history-file/history-store.js';
import { printable } from '../http/printable.js';
import type { HistoryRecord, Sse, SseLifecycleEvent } from '../stream/types.js';
import { connectionRows, formatDuration, historyRows, jobRows, table } from './format.js';
import { createJobScheduler } from './jobs.js';
import { describeLifecycle } from './lifecycle-log.js';
import { createRemoteViewer, type RemoteViewer } from './remote-viewer.js';
import { startReplay } from './replay-job.js';
import { createTour, type Tour } from './tour.js';
import { answerFor, describePolicy, isNormal, normalPolicy, type RespondPolicy } from './respond-policy.js';
import type { Completion, ConsoleController, ConsoleSnapshot, LogEntry, LogKind } from './types.js';

/** A demo page as the console lists it. */
export interface ConsolePage {
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
  /** The running `--history-file`: clear, load and save onto it rewrite it with the log. */
  readonly historyStore?: HistoryStore;
  /** Events the stream keeps (its historyLimit), so `history load` keeps only those. */
  readonly historyLimit?: number;
}

/** `history load` reads files up to this size (the console waits while it reads). */
const maxLoadBytes = 256 * 1024 * 1024;

/**
The `history load` id rule: string ids (an application's own) are kept. Numeric ids
are kept when every one of them is either above every id the stream has issued or
the very event the log holds under that id (reloading the running file, or a save
whose events are still kept); otherwise the numeric ones are renumbered, in order,
from the stream's next id. Either way a number never names two different events on
the live stream.
*/
function renumberAfter(
  records: readonly HistoryRecord[],
  nextId: number,
  current: readonly HistoryRecord[],
): readonly HistoryRecord[] {
  const numeric = (id: number | string): number | undefined =>
    typeof id === 'number' ? id : /^(?:0|[1-9][0-9]{0,15})$/.test(id) ? Number(id) : undefined;
  const held = new Map(current.map((record) => [String(record.id), record]));
  const same = (a: HistoryRecord, b: HistoryRecord | undefined): boolean =>
    b !== undefined && a.data === b.data && a.event === b.event && a.retry === b.retry;
  const fits = (record: HistoryRecord): boolean => {
    const id = numeric(record.id);
    return id === undefined || id >= nextId || same(record, held.get(String(record.id)));
  };
  if (records.every(fits)) return records;
  let next = nextId;
  return records.map((record) => (numeric(record.id) === undefined ? record : { ...record, id: next++ }));
}

/** How many entries wait for the first log listener (start-up notes). */
const backlogLimit = 500;

export function createConsoleController(options: ConsoleControllerOptions): ConsoleController {
  const { sse, sseUrl, pagesUrl, pages = [], historyStore } = options;
  const now = options.now ?? Date.now;
  const jobs = createJobScheduler(now);
  const logListeners = new Set<(entry: LogEntry) => void>();
  const changeListeners = new Set<() => void>();
  const quitListeners = new Set<() => void>();
  let backlog: LogEntry[] | undefined = [];
  let seq = 0;
  let raw = false;
  let policy: RespondPolicy = normalPolicy;
  let version = 0;
  let cached: ConsoleSnapshot | undefined;
  let cachedAt = 0;
  let changeQueued = false;
  let disposed = false;
  let remote: RemoteViewer | undefined;
  let tour: Tour | undefined;

  function emit(kind: LogKind, text: string, fields?: Readonly<Record<string, unknown>>): void {
    // An error or warning is one line even when it quotes a typed name (a page, a
    // file) holding line breaks or escape sequences: those are shown as \u{…}.
    const shown = kind === 'error' || kind === 'warn' ? printable(text, text.length) : text;
    const entry: LogEntry = { seq: ++seq, time: now(), kind, text: shown, ...(fields ? { fields } : {}) };
    if (backlog) {
      backlog.push(entry);
      if (backlog.length > backlogLimit) backlog.shift();
      return;
    }
    for (const listener of logListeners) listener(entry);
  }

  function output(lines: readonly string[]): void {
    for (const line of lines) emit('output', line);
  }

  /** Marks the snapshot stale and tells views once per tick, however many changes came. */
  function changed(): void {
    version += 1;
    cached = undefined;
    if (changeQueued) return;
    changeQueued = true;
    setImmediate(() => {
      changeQueued = false;
      for (const listener of changeListeners) listener();
    });
  }

  function onLifecycle(event: SseLifecycleEvent): void {
    for (const line of describeLifecycle(event, now(), raw)) emit(line.kind, line.text, line.fields);
    if (tour?.active) {
      for (const line of tour.observe(event)) emit('info', line, { type: 'tour' });
    }
    if (event.type === 'refused' && policy.once && !isNormal(policy)) {
      setPolicy(normalPolicy);
      emit('info', 'respond: the one-time answer was used; new connections stream again');
    }
    changed();
  }
  const unsubscribe = sse.subscribe(onLifecycle);

  function setPolicy(next: RespondPolicy): void {
    policy = next;
    sse.setOnConnect(isNormal(next) ? undefined : () => answerFor(policy));
    changed();
  }

  function runSend(command: Extract<Command, { name: 'send' }>): void {
    const input = {
      data: command.data,
      ...(command.event === undefined ? {} : { event: command.event }),
      ...(command.retry === undefined ? {} : { retry: command.retry }),
    };
    if (command.to !== undefined) {
      if (!sse.connections.some((c) => c.id === command.to)) {
        emit('error', `no connection #${command.to}; \`conns\` lists the live ones`);
        return;
      }
      sse.sendTo(command.to, input);
      return;
    }
    sse.sendNewEvent({ ...input, id: command.id });
  }

  function runHistory(command: Extract<Command, { name: 'history' }>): void {
    switch (command.action) {
      case 'show':
        output(historyRows(sse.history));
        return;
      case 'clear': {
        const count = sse.history.length;
        // The file first: if it cannot be rewritten, memory is left as it is too.
        historyStore?.rewrite([], sse.nextId);
        sse.clearHistory();
        const file = historyStore ? ` and from ${historyStore.path}` : '';
        emit('output', `history cleared (${count} events)${file}; the next id is still ${sse.nextId}`);
        return;
      }
      case 'save': {
        const records = sse.history;
        try {
          if (historyStore?.isSameFile(command.file)) {
            // A new file renamed over the running one would leave later events in the unlinked old one.
            historyStore.rewrite(records, sse.nextId);
          } else {
            writeHistoryFile(command.file, records);
          }
        } catch (error) {
          emit('error', `could not save to ${command.file}: ${(error as Error).message}`);
          return;
        }
        emit('output', `saved ${records.length} events to ${command.file}`);
        return;
      }
      case 'load': {
        let loaded: ReturnType<typeof readHistoryFile>;
        try {
          loaded = readHistoryFile(command.file, {
            maxFileBytes: maxLoadBytes,
            ...(options.historyLimit === undefined ? {} : { keep: options.historyLimit }),
          });
        } catch (error) {
          emit('error', `could not load ${command.file}: ${(error as Error).message}`);
          return;
        }
        if (!loaded.existed) {
          emit('error', `no such file: ${command.file} (save one first with \`history save FILE\`)`);
          return;
        }
        for (const problem of loaded.problems) emit('warn', `${command.file}:${problem.line}: ${problem.reason}`);
        const records = renumberAfter(loaded.records, sse.nextId, sse.history);
        const previous = sse.history;
        sse.replaceHistory(records);
        if (historyStore) {
          try {
            historyStore.rewrite(sse.history, sse.nextId);
          } catch (error) {
            sse.replaceHistory(previous);
            emit('error', `could not load ${command.file}: ${historyStore.path} could not be rewritten (${(error as Error).message}); the history is unchanged`);
            return;
          }
        }
        const kept = sse.history.length;
        const counts = loaded.total === kept ? `${kept} events` : `${loaded.total} events (the newest ${kept} are kept)`;
        const changed = records.filter((record, index) => record !== loaded?.records[index]);
        const renumbered =
          changed[0] === undefined
            ? ''
            : `, renumbered ${changed[0].id}–${changed.at(-1)?.id ?? changed[0].id} to follow the ids already issued`;
        emit('output', `loaded ${counts} from ${command.file}${renumbered}; the next id is ${sse.nextId}`);
        return;
      }
    }
  }

  function run(command: Command): void {
    switch (command.name) {
      case 'send':
        runSend(command);
        return;
      case 'comment':
        sse.sendComment(command.text);
        return;
      case 'retry':
        sse.sendNewEvent({ retry: command.ms });
        return;
      case 'every': {
        const job = jobs.start(command.intervalMs, command.source, (n) => {
          const tokens = substitutePlaceholders(command.tokens, { n, now: new Date(now()) });
          const parsed = parseTokens(tokens);
          if (!parsed.ok) {
            jobs.stop(job.id);
            emit('job', `job ${job.id} stopped: ${parsed.error}`);
            changed();
            return;
          }
          runSafely(parsed.command);
        });
        emit('job', `job ${job.id} started: every ${formatDuration(command.intervalMs)} ${command.source} (\`stop ${job.id}\` ends it)`);
        changed();
        return;
      }
      case 'jobs':
        output(jobRows(jobs.list()));
        return;
      case 'stop': {
        if (command.job === 'all') {
          emit('job', `stopped ${jobs.stopAll()} jobs`);
        } else if (jobs.stop(command.job)) {
          emit('job', `job ${command.job} stopped`);
        } else {
          emit('error', `no job ${command.job}; \`jobs\` lists the running ones`);
        }
        changed();
        return;
      }
      case 'close': {
        if (command.target === 'all') {
          emit('output', `closing ${sse.closeAll()} connections (browsers reconnect after their retry time)`);
        } else if (!sse.close(command.target)) {
          emit('error', `no connection #${command.target}; \`conns\` lists the live ones`);
        }
        return;
      }
      case 'respond':
        setPolicy({ status: command.status, headers: command.headers, once: command.once });
        emit('output', `new connections will be answered ${describePolicy(policy)}`);
        return;
      case 'respond-reset':
        setPolicy(normalPolicy);
        emit('output', 'new connections stream normally again (200)');
        return;
      case 'conns':
        output(connectionRows(sse.connections, now()));
        return;
      case 'history':
        runHistory(command);
        return;
      case 'pages':
        output(
          pages.length === 0
            ? [`pages are served at ${pagesUrl}`]
            : table([
                ['index', pagesUrl, 'every demo with one line on what it shows'],
                ...pages.map((page) => [page.name, new URL(page.name, pagesUrl).href, page.summary]),
              ]),
        );
        return;
      case 'open': {
        const name = command.page ?? 'textarea';
        if (pages.length > 0 && name !== 'index' && !pages.some((page) => page.name === name)) {
          emit('error', `no page "${name}"; pages: index, ${pages.map((page) => page.name).join(', ')}`);
          return;
        }
        const url = new URL(name === 'index' ? '' : name, pagesUrl).href;
        if (!options.openUrl) {
          emit('output', `open ${url} in your browser`);
          return;
        }
        Promise.resolve(options.openUrl(url)).then(
          () => emit('output', `opened ${url}`),
          (error: unknown) => emit('warn', `could not open a browser (${(error as Error).message}); open ${url} yourself`),
        );
        return;
      }
      case 'raw':
        raw = command.on;
        emit('output', raw ? 'raw on: each send shows the exact bytes written' : 'raw off');
        changed();
        return;
      case 'clear':
        emit('clear', '');
        return;
      case 'help':
        output(helpLines(command.topic));
        return;
      case 'quit':
        for (const listener of quitListeners) listener();
        return;
      case 'connect':
        remote?.close();
        remote = createRemoteViewer({
          url: command.url,
          headers: command.headers,
          ...(command.lastEventId === undefined ? {} : { lastEventId: command.lastEventId }),
          ...(command.method === undefined ? {} : { method: command.method }),
          ...(command.body === undefined ? {} : { body: command.body }),
          insecure: command.insecure === true,
          reconnect: command.reconnect === true,
          log: emit,
          changed,
        });
        changed();
        return;
      case 'disconnect':
        if (!remote) {
          emit('error', 'not connected to a remote stream; `connect URL` starts one');
          return;
        }
        remote.close();
        remote = undefined;
        changed();
        return;
      case 'replay':
        startReplay({
          file: command.file,
          speed: command.speed,
          loop: command.loop,
          source: `replay ${command.file}${command.speed === 1 ? '' : ` --speed ${command.speed}`}${command.loop ? ' --loop' : ''}`,
          sse,
          jobs,
          emit,
          changed,
        });
        return;
      case 'tour': {
        if (command.action === 'stop') {
          emit('info', tour?.active ? 'tour stopped' : 'no tour running', { type: 'tour' });
          tour = undefined;
          return;
        }
        if (command.action === 'next') {
          for (const line of tour ? tour.next() : ['no tour running; `tour` starts one']) emit('info', line, { type: 'tour' });
          return;
        }
        tour = createTour({ pagesUrl, connections: () => sse.connections });
        for (const line of tour.start()) emit('info', line, { type: 'tour' });
        return;
      }
    }
    // Exhaustiveness: a new command name without a case fails to compile here.
    const unreachable: never = command;
    void unreachable;
  }

  /** Runs a command; a failure becomes an error line, never an exception. */
  function runSafely(command: Command): void {
    try {
      run(command);
    } catch (error) {
      emit('error', (error as Error).message);
    }
  }

  function buildSnapshot(): ConsoleSnapshot {
    return {
      sseUrl,
      pagesUrl,
      connections: sse.connections,
      history: sse.history,
      nextId: sse.nextId,
      jobs: jobs.list(),
      respondPolicy: describePolicy(policy),
      raw,
      ...(remote ? { remote: remote.info() } : {}),
      version,
    };
  }

  return {
    execute(line) {
      if (disposed) return;
      if (line.trim() === '') return;
      emit('command', line);
      const parsed = parseCommandLine(line);
      if (!parsed.ok) {
        emit('error', parsed.error);
        return;
      }
      runSafely(parsed.command);
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
    onLog(listener) {
      logListeners.add(listener);
      if (backlog) {
        const pending = backlog;
        backlog = undefined;
        for (const entry of pending) listener(entry);
      }
      return () => logListeners.delete(listener);
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    onQuit(listener) {
      quitListeners.add(listener);
      return () => quitListeners.delete(listener);
    },
    log(kind, text, fields) {
      emit(kind, text, fields);
    },
    complete(line, cursor): Completion {
      return completeLine(line, cursor, ['index', ...pages.map((page) => page.name)]);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      jobs.stopAll();
      remote?.close();
      // Stop the servers while still subscribed, so each stream's end is logged.
      await options.stopServers?.();
      unsubscribe();
    },
  };
}
