import {
  complete as completeLine,
  helpLines,
  parseCommandLine,
  parseTokens,
  substitutePlaceholders,
} from '../commands/index.js';
import type { Command } from '../commands/types.js';
import { readHistoryFile, writeHistoryFile } from '../history-file/history-file-io.js';
import type { HistoryStore } from '../history-file/history-store.js';
import type { ConnectionInfo, HistoryRecord, Sse, SseLifecycleEvent } from '../stream/types.js';
import { redactUrlsIn } from '../http/request-target.js';
import { cutToWidth, LINE_COLUMNS, showLine } from '../terminal/terminal-text.js';
import { connectionRows, formatDuration, historyRows, jobRows, table } from './format.js';
import { createSse } from '../stream/create-sse.js';
import { createChannelSet, type ChannelSet } from './channels.js';
import { createJobScheduler } from './jobs.js';
import { fileErrorReason, loadProblemNotes } from './history-notes.js';
import type { ScriptStep } from './lesson-script.js';
import { loadLesson } from './load-lesson.js';
import { readTextFile } from './read-text-file.js';
import { runScript, type RunningScript } from './script-runner.js';
import { createLogBus } from './log-bus.js';
import { describeLifecycle } from './lifecycle-log.js';
import { describeFilter, openFilter, passes, type LogFilter } from './log-filter.js';
import { createRemoteViewer, type RemoteViewer } from './remote-viewer.js';
import { startReplay } from './replay-job.js';
import { createTour, type Tour } from './tour.js';
import { answerFor, describePolicy, isNormal, normalPolicy, type RespondPolicy } from './respond-policy.js';
import type { Completion, ConsoleController, ConsoleSnapshot, LogEntry, LogKind } from './types.js';

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

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** What a teacher should know before a browser meets this status: 3xx without Location, 1xx. */
function respondWarnings(status: number, headers: readonly (readonly [string, string])[]): string[] {
  const hasLocation = headers.some(([name]) => name.toLowerCase() === 'location');
  if (status >= 100 && status < 200) {
    return [
      `${status} is a 1xx (informational) status, not a final answer: browsers wait for a real one or fail; use 2xx, 3xx, 4xx or 5xx`,
    ];
  }
  if (status >= 300 && status < 400 && !hasLocation) {
    return [
      `${status} without a Location header: browsers cannot follow it and fail the connection; add --header Location:URL (Chromium's EventSource follows a 301, 302, 307 or 308 with Location)`,
    ];
  }
  return [];
}

/** A typed line's answer in one line: its first problem, its only line, or how many lines it wrote. */
function summarizeReply(lines: readonly LogEntry[]): string {
  const problem = lines.find((entry) => entry.kind === 'error' || entry.kind === 'warn');
  if (problem) return problem.text;
  if (lines.length === 0) return 'done';
  if (lines.length === 1) return lines[0]?.text ?? '';
  return `${lines.length} lines in the log above`;
}

export function createConsoleController(options: ConsoleControllerOptions): ConsoleController {
  const { sse, sseUrl, pagesUrl, pages = [], historyStore } = options;
  const now = options.now ?? Date.now;
  const jobs = createJobScheduler(now);
  const bus = createLogBus();
  let seq = 0;
  let raw = false;
  let policy: RespondPolicy = normalPolicy;
  let version = 0;
  let cached: ConsoleSnapshot | undefined;
  let cachedAt = 0;
  let disposed = false;
  let remote: RemoteViewer | undefined;
  let tour: Tour | undefined;
  /** Above 0 while a typed line runs: what it logs then is its reply. */
  let replying = 0;
  let logFilter: LogFilter = openFilter;
  let connectionsSeen = 0;
  /** What the running typed line logged (its answer), and the last line with its answer. */
  let replyLines: LogEntry[] = [];
  let lastReply: ConsoleSnapshot['lastReply'];
  let script: RunningScript | undefined;
  /** The script line whose command runs now: its errors name the file and line. */
  let scriptOrigin: string | undefined;

  function emit(kind: LogKind, text: string, fields?: Readonly<Record<string, unknown>>): void {
    // Every line is cut to the display budget here, so no view ever holds or lays out
    // a huge one. An error or warning is also escaped now: it is one line even when it
    // quotes a typed name (a page, a file) holding line breaks or escape sequences.
    const located = kind === 'error' && scriptOrigin !== undefined ? `${scriptOrigin}: ${text}` : text;
    const shown =
      kind === 'error' || kind === 'warn' ? showLine(located, LINE_COLUMNS) : cutToWidth(located, LINE_COLUMNS);
    const entry: LogEntry = {
      seq: ++seq,
      time: now(),
      kind,
      text: shown,
      ...(fields ? { fields } : {}),
      ...(replying > 0 ? { reply: true as const } : {}),
    };
    if (replying > 0 && kind !== 'command' && kind !== 'clear' && text.trim() !== '') replyLines.push(entry);
    if (!passes(entry, logFilter)) {
      if (logFilter.paused) logFilter = { ...logFilter, heldBack: logFilter.heldBack + 1 };
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
    if (event.type === 'connected') connectionsSeen += 1;
    for (const line of describeLifecycle(event, now(), raw)) emit(line.kind, line.text, line.fields);
    if (tour?.active) {
      for (const line of tour.observe(event)) emit('info', line, { type: 'tour' });
    }
    changed();
  }
  const channels = options.channels ?? createChannelSet(sse, (name) => createSse({ channel: name }));
  const unsubscribers = [sse.subscribe(onLifecycle)];

  /** A channel's lifecycle is logged like the main stream's, marked with its name. */
  function watchChannel(name: string, channel: Sse): void {
    channel.setOnConnect(isNormal(policy) && !policy.once ? undefined : answerStream);
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
    // `connections` builds a snapshot of every connection: read each stream's once
    // (at 1,000 connections a redraw otherwise built 3,000).
    const lists = channels.all().map((stream) => stream.connections);
    const [only] = lists;
    if (lists.length === 1 && only !== undefined) return only;
    return lists.flat().sort((a, b) => a.id - b.id);
  }

  /** The stream that holds connection `id`, if it is live. */
  function streamOf(id: number): Sse | undefined {
    return channels.all().find((stream) => stream.connections.some((c) => c.id === id));
  }

  function setPolicy(next: RespondPolicy): void {
    policy = next;
    for (const stream of channels.all()) stream.setOnConnect(isNormal(next) && !next.once ? undefined : answerStream);
    changed();
  }

  /**
  The stream's connect hook: it runs only for a stream request that passed every
  other check, so a one-time answer is used up by exactly the request it answered
  (not by a 405 POST, and also when the answer is a 200 with headers).
  */
  function answerStream(): ReturnType<typeof answerFor> {
    const answer = answerFor(policy);
    if (policy.once) {
      const used = describePolicy(policy);
      setPolicy(normalPolicy);
      emit(
        'info',
        `respond: the one-time answer (${used.replace(' once', '')}) was used; new connections stream again`,
      );
    }
    return answer;
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
    const text = read.text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      .replace(/\n$/, '');
    if (!json) return text;
    try {
      return JSON.stringify(JSON.parse(text) as unknown, null, 2);
    } catch (error) {
      emit(
        'error',
        `send --file: ${file} is not valid JSON (${(error as Error).message}); drop --json to send it as text`,
      );
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
      emit(
        'error',
        `no channel "${name}" yet (${known.length === 0 ? 'none so far' : `channels: ${known.join(', ')}`}); a page at /events/${name} or \`send --channel ${name}\` starts it`,
      );
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
        emit('output', `history cleared (${plural(count, 'event')})${file}; the next id is still ${sse.nextId}`);
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
          emit('error', `could not save the history to ${command.file}: ${fileErrorReason(error)}`);
          return;
        }
        emit('output', `saved ${plural(records.length, 'event')} to ${command.file}`);
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
          emit('error', `could not read ${command.file}: ${fileErrorReason(error)}`);
          return;
        }
        if (!loaded.existed) {
          emit('error', `no such file: ${command.file} (save one first with \`history save FILE\`)`);
          return;
        }
        for (const note of loadProblemNotes(command.file, loaded)) emit(note.kind, note.text);
        if (loaded.records.length === 0 && loaded.problems.length > 0) return;
        const records = renumberAfter(loaded.records, sse.nextId, sse.history);
        const previous = sse.history;
        sse.replaceHistory(records);
        if (historyStore) {
          try {
            historyStore.rewrite(sse.history, sse.nextId);
          } catch (error) {
            sse.replaceHistory(previous);
            emit(
              'error',
              `could not load ${command.file}: ${historyStore.path} could not be rewritten (${fileErrorReason(error)}); the history is unchanged`,
            );
            return;
          }
        }
        const kept = sse.history.length;
        const counts =
          loaded.total === kept
            ? plural(kept, 'event')
            : `${plural(loaded.total, 'event')} (the history limit keeps the newest ${kept})`;
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
        emit(
          'job',
          `job ${job.id} started: every ${formatDuration(command.intervalMs)} ${command.source} (\`stop ${job.id}\` ends it)`,
        );
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
          const stopped = jobs.stopAll();
          emit('job', `stopped ${stopped} ${stopped === 1 ? 'job' : 'jobs'}`);
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
          emit('output', `closing ${plural(closed, 'connection')} (browsers reconnect after their retry time)`);
        } else {
          // Checked first: close() throws NoSuchConnectionError for a number that is not open.
          const holder = streamOf(command.target);
          if (holder === undefined) emit('error', `no connection #${command.target}; \`conns\` lists the live ones`);
          else holder.close(command.target);
        }
        return;
      }
      case 'respond':
        setPolicy({ status: command.status, headers: command.headers, once: command.once });
        emit('output', `new connections will be answered ${describePolicy(policy)}`);
        for (const warning of respondWarnings(command.status, command.headers)) emit('warn', warning);
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
          (error: unknown) => emit('warn', `no browser started (${(error as Error).message}); open ${url} yourself`),
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
      case 'filter':
        if (command.words === 'show') {
          emit(
            'output',
            describeFilter(logFilter) ?? 'no filter: every activity line is logged (`filter WORD…` narrows it)',
          );
          return;
        }
        logFilter = {
          ...logFilter,
          words: command.words === 'off' ? [] : command.words.map((word) => word.toLowerCase()),
        };
        emit(
          'output',
          command.words === 'off'
            ? 'filter off: every activity line is logged'
            : `logging only activity lines that are or mention ${command.words.join(', ')}; your commands and their answers always show (\`filter off\` ends it)`,
        );
        changed();
        return;
      case 'pause':
        if (logFilter.paused) {
          emit('output', 'the log is already paused; `resume` shows activity again');
          return;
        }
        logFilter = { ...logFilter, paused: true, heldBack: 0 };
        emit(
          'output',
          'log paused: events are still delivered and the panes stay current; `resume` shows activity again',
        );
        changed();
        return;
      case 'resume': {
        if (!logFilter.paused) {
          emit('output', 'the log is not paused');
          return;
        }
        const held = logFilter.heldBack;
        logFilter = { ...logFilter, paused: false, heldBack: 0 };
        emit(
          'output',
          `log resumed; ${held} activity ${held === 1 ? 'line was' : 'lines were'} not shown while paused`,
        );
        changed();
        return;
      }
      case 'help':
        output(helpLines(command.topic));
        return;
      case 'quit':
        bus.quit();
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
          for (const line of tour ? tour.next() : ['no tour running; `tour` starts one'])
            emit('info', line, { type: 'tour' });
          return;
        }
        tour = createTour({ pagesUrl, connections: () => sse.connections, history: () => sse.history });
        for (const line of tour.start()) emit('info', line, { type: 'tour' });
        return;
      }
      case 'source':
        runSource(command.file);
        return;
    }
    // Exhaustiveness: a new command name without a case fails to compile here.
    const unreachable: never = command;
    return unreachable;
  }

  function stopScript(): boolean {
    const running = script;
    if (running === undefined) return false;
    const line = running.currentLine;
    if (!running.stop()) return false;
    // Cleared now, not when `done` settles, so a `source` right after starts at once.
    script = undefined;
    changed();
    emit('info', `script ${running.file} stopped at line ${line}`, {
      type: 'script',
      state: 'stopped',
      file: running.file,
      line,
    });
    return true;
  }

  function runSource(name: string): void {
    if (script !== undefined) {
      emit(
        'error',
        `a script is already running (${script.file}, line ${script.currentLine}); \`stop script\` ends it`,
      );
      return;
    }
    const lesson = loadLesson(name, options.lessonsDir);
    if (!lesson.ok) {
      const shownErrors = lesson.errors.slice(0, 10);
      for (const error of shownErrors) emit('error', `source: ${error}`);
      if (lesson.errors.length > shownErrors.length)
        emit('error', `source: … and ${lesson.errors.length - shownErrors.length} more; nothing was run`);
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
      onConnectionsChanged: (listener) => bus.onChange(listener),
    });
    script = running;
    emit('info', `running ${file}: ${steps.length} steps (\`stop script\` or Ctrl+C ends it)`, {
      type: 'script',
      state: 'started',
      file,
    });
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
    const filtered = describeFilter(logFilter);
    return {
      sseUrl,
      pagesUrl,
      connections: allConnections(),
      connectionsSeen,
      history: sse.history,
      nextId: sse.nextId,
      jobs: jobs.list(),
      respondPolicy: describePolicy(policy),
      raw,
      ...(lastReply === undefined ? {} : { lastReply }),
      ...(tour?.active ? { tourStep: tour.current() ?? '' } : {}),
      ...(filtered === undefined ? {} : { logFilter: filtered }),
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
