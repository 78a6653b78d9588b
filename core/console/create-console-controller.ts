import { complete as completeLine, helpLines, parseCommandLine, parseTokens, substitutePlaceholders } from '../commands/index.js';
import type { Command } from '../commands/types.js';
import { readHistoryFile, writeHistoryFile } from '../history-file/history-file-io.js';
import type { HistoryStore } from '../history-file/history-store.js';
import { printable } from '../http/printable.js';
import type { ConnectionInfo, HistoryRecord, Sse, SseLifecycleEvent } from '../stream/types.js';
import { connectionRows, formatDuration, historyRows, jobRows, table } from './format.js';
import { createSse } from '../stream/create-sse.js';
import { createChannelSet, type ChannelSet } from './channels.js';
import { createJobScheduler } from './jobs.js';
import type { ScriptStep } from './lesson-script.js';
import { loadLesson } from './load-lesson.js';
import { readTextFile } from './read-text-file.js';
import { runScript, type RunningScript } from './script-runner.js';
import { describeLifecycle } from './lifecycle-log.js';
import { createRemoteViewer, type RemoteViewer } from './remote-viewer.js';
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
  /** The main stream (`sse`) and its channels; default: channels made with createSse defaults. */
  readonly channels?: ChannelSet;
  /** Where the shipped lesson scripts are, so `source reconnect` finds one by name. */
  readonly lessonsDir?: string;
}

/** `send --file` reads files up to this size: an event is sent whole to every client. */
const maxSendFileBytes = 1024 * 1024;

/** `history load` reads files up to this size (the console waits while it reads). */
const maxLoadBytes = 256 * 1024 * 1024;

/**
The `history load` id rule: loaded events keep their ids when every one of them is
either above every id the stream has issued or the very event the log holds under
that id (reloading the running file, or a save whose events are still kept);
otherwise they are renumbered, in order, from the stream's next id. Either way an id
never names two different events on the live stream.
*/
function renumberAfter(
  records: readonly HistoryRecord[],
  nextId: number,
  current: readonly HistoryRecord[],
): readonly HistoryRecord[] {
  const held = new Map(current.map((record) => [record.id, record]));
  const same = (a: HistoryRecord, b: HistoryRecord | undefined): boolean =>
    b !== undefined && a.data === b.data && a.event === b.event && a.retry === b.retry;
  if (records.every((record) => record.id >= nextId || same(record, held.get(record.id)))) return records;
  return records.map((record, index) => ({ ...record, id: nextId + index }));
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
  let script: RunningScript | undefined;
  /** The script line whose command runs now: its errors name the file and line. */
  let scriptOrigin: string | undefined;

  function emit(kind: LogKind, text: string, fields?: Readonly<Record<string, unknown>>): void {
    // An error or warning is one line even when it quotes a typed name (a page, a
    // file) holding line breaks or escape sequences: those are shown as \u{…}.
    const located = kind === 'error' && scriptOrigin !== undefined ? `${scriptOrigin}: ${text}` : text;
    const shown = kind === 'error' || kind === 'warn' ? printable(located, located.length) : located;
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
  const channels = options.channels ?? createChannelSet(sse, (name) => createSse({ channel: name }));
  const unsubscribers = [sse.subscribe(onLifecycle)];

  /** A channel's lifecycle is logged like the main stream's, marked with its name. */
  function watchChannel(name: string, channel: Sse): void {
    channel.setOnConnect(isNormal(policy) ? undefined : () => answerFor(policy));
    unsubscribers.push(
      channel.subscribe((event) => {
        for (const line of describeLifecycle(event, now(), raw)) {
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
    const list = channels.all().flatMap((stream) => stream.connections);
    return list.length === sse.connections.length ? sse.connections : list.sort((a, b) => a.id - b.id);
  }

  /** The stream that holds connection `id`, if it is live. */
  function streamOf(id: number): Sse | undefined {
    return channels.all().find((stream) => stream.connections.some((c) => c.id === id));
  }

  function setPolicy(next: RespondPolicy): void {
    policy = next;
    for (const stream of channels.all()) stream.setOnConnect(isNormal(next) ? undefined : () => answerFor(policy));
    changed();
  }

  /** `send --file`: the file's text (JSON pretty-printed with --json), or undefined after an error line. */
  function fileData(file: string, json: boolean): string | undefined {
    const read = readTextFile(file, maxSendFileBytes);
    if (!read.ok) {
      emit('error', `send --file: ${read.error}`);
      return undefined;
    }
    // Line endings become LF, as a client rebuilds them; the final one (a file ends with
    // one by convention) is dropped, since sending it would add an empty data: line.
    const text = read.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\n$/, '');
    if (!json) return text;
    try {
      return JSON.stringify(JSON.parse(text) as unknown, null, 2);
    } catch (error) {
      emit('error', `send --file: ${file} is not valid JSON (${(error as Error).message}); drop --json to send it as text`);
      return undefined;
    }
  }

  function runSend(command: Extract<Command, { name: 'send' }>): void {
    const data = command.file === undefined ? command.data : fileData(command.file, command.json);
    if (data === undefined) return;
    const input = {
      data,
      ...(command.event === undefined ? {} : { event: command.event }),
      ...(command.retry === undefined ? {} : { retry: command.retry }),
    };
    let stream = sse;
    if (command.channel !== undefined) {
      const channel = channels.ensure(command.channel);
      if (!channel.ok) {
        emit('error', `send --channel: ${channel.error}`);
        return;
      }
      stream = channel.sse;
    }
    if (command.to !== undefined) {
      const holder = streamOf(command.to);
      if (holder === undefined || (command.channel !== undefined && holder !== stream)) {
        const where = command.channel === undefined ? '' : ` on channel ${command.channel}`;
        emit('error', `no connection #${command.to}${where}; \`conns\` lists the live ones`);
        return;
      }
      holder.sendTo(command.to, input);
      return;
    }
    stream.sendNewEvent({ ...input, id: command.id });
  }

  /** `history --channel NAME` (show and clear): that channel's own log. */
  function runChannelHistory(action: 'show' | 'clear', name: string): void {
    const channel = channels.get(name);
    if (channel === undefined) {
      const known = channels.list().map((entry) => entry.name);
      emit('error', `no channel "${name}" yet (${known.length === 0 ? 'none so far' : `channels: ${known.join(', ')}`}); a page at /events/${name} or \`send --channel ${name}\` starts it`);
      return;
    }
    if (action === 'show') {
      output(historyRows(channel.history));
      return;
    }
    const count = channel.history.length;
    channel.clearHistory();
    emit('output', `history of channel ${name} cleared (${count} events); its next id is still ${channel.nextId}`);
  }

  function runHistory(command: Extract<Command, { name: 'history' }>): void {
    if ((command.action === 'show' || command.action === 'clear') && command.channel !== undefined) {
      runChannelHistory(command.action, command.channel);
      return;
    }
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
        const renumbered =
          records === loaded.records || records[0] === undefined
            ? ''
            : `, renumbered ${records[0].id}–${records.at(-1)?.id ?? records[0].id} to follow the ids already issued`;
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
        if (command.job === 'script') {
          if (!stopScript()) emit('error', 'no script is running; `source FILE` starts one');
          return;
        }
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
          const closed = channels.all().reduce((sum, stream) => sum + stream.closeAll(), 0);
          emit('output', `closing ${closed} connections (browsers reconnect after their retry time)`);
        } else if (!(streamOf(command.target)?.close(command.target) ?? false)) {
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
        output(connectionRows(allConnections(), now()));
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
      case 'source':
        runSource(command.file);
        return;
    }
    // Exhaustiveness: a new command name without a case fails to compile here.
    const unreachable: never = command;
    void unreachable;
  }

  function stopScript(): boolean {
    const running = script;
    if (running === undefined) return false;
    const line = running.currentLine;
    if (!running.stop()) return false;
    // Cleared now, not when `done` settles, so a `source` right after starts at once.
    script = undefined;
    changed();
    emit('info', `script ${running.file} stopped at line ${line}`, { type: 'script', state: 'stopped', file: running.file, line });
    return true;
  }

  function runSource(name: string): void {
    if (script !== undefined) {
      emit('error', `a script is already running (${script.file}, line ${script.currentLine}); \`stop script\` ends it`);
      return;
    }
    const lesson = loadLesson(name, options.lessonsDir);
    if (!lesson.ok) {
      const shownErrors = lesson.errors.slice(0, 10);
      for (const error of shownErrors) emit('error', `source: ${error}`);
      if (lesson.errors.length > shownErrors.length) emit('error', `source: … and ${lesson.errors.length - shownErrors.length} more; nothing was run`);
      return;
    }
    const { file, steps } = lesson;
    const where = (step: ScriptStep) => ({ script: file, line: step.line });
    const running = runScript(file, steps, {
      execute(step) {
        emit('command', step.text, where(step));
        const parsed = parseCommandLine(step.text);
        scriptOrigin = `${file}:${step.line}`;
        try {
          if (parsed.ok) runSafely(parsed.command);
          else emit('error', parsed.error);
        } finally {
          scriptOrigin = undefined;
        }
      },
      narrate(step, text) {
        emit('info', text, { type: 'narration', ...where(step) });
      },
      connectionCount: () => allConnections().length,
      onConnectionsChanged(listener) {
        changeListeners.add(listener);
        return () => changeListeners.delete(listener);
      },
    });
    script = running;
    emit('info', `running ${file}: ${steps.length} steps (\`stop script\` or Ctrl+C ends it)`, { type: 'script', state: 'started', file });
    changed();
    void running.done.then((how) => {
      if (script === running) script = undefined;
      if (how === 'finished') emit('info', `script ${file} finished`, { type: 'script', state: 'finished', file });
      changed();
    });
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
      connections: allConnections(),
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
      if (line.trim() === '') {
        // Enter on an empty prompt is what `wait enter` waits for.
        script?.enter();
        return;
      }
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
    interrupt() {
      return stopScript();
    },
    complete(line, cursor): Completion {
      return completeLine(line, cursor, ['index', ...pages.map((page) => page.name)]);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      script?.stop();
      jobs.stopAll();
      remote?.close();
      // Stop the servers while still subscribed, so each stream's end is logged.
      await options.stopServers?.();
      for (const unsubscribe of unsubscribers) unsubscribe();
      if (options.channels === undefined) channels.stopChannels();
    },
  };
}
