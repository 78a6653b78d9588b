import { tokenize } from '../commands/index.js';
import { describeShaping } from '../proxy/shaping.js';
import { consoleLanguage } from './console-language.js';
import { clipText } from '../../terminal/terminal-text.js';
import { createLogBus } from './log-bus.js';
import { logEntry, summarizesReply } from './log-entry.js';
import type { Proxy } from '../proxy/create-proxy.js';
import type { ProxyReport } from '../proxy/types.js';
import { asConnection } from './proxy-commands/as-connection.js';
import type { ProxyContext } from './proxy-commands/proxy-module.js';
import { faultModuleFor, proxyCommandNames, proxyHelpLines, proxyModuleFor } from './proxy-commands/proxy-table.js';
import { completeProxyLine } from './proxy-commands/proxy-complete.js';
import { describeProxyReport } from './proxy-log.js';
import { proxyScreen } from './proxy-screen.js';
import { summarizeReply } from './reply-summary.js';
import type { PaneEvent } from './screen-model.js';
import type { LogRecord } from './log-records.js';
import type { Completion, ConsoleController, ConsoleSnapshot, LogEntry, LogKind } from './types.js';
import { errorMessage } from './error-message.js';

export interface ProxyControllerOptions {
  readonly proxy: Proxy;
  readonly proxyUrl: string;
  readonly upstreamUrl: string;
  /** The address the user opens: `proxyUrl` with `?sse-console-token=` when a token is required. Default proxyUrl. */
  readonly openUrl?: string;
  readonly now?: () => number;
  readonly stopServers?: () => Promise<void>;
}

export interface ProxyController extends ConsoleController {
  /** Where the proxy reports to (createProxy's `report` option). */
  observe(report: ProxyReport): void;
  /** True while `raw on`: createProxy's `wantsBytes` option. */
  wantsBytes(): boolean;
}

/** Events kept for the events pane (the newest that reached a browser). */
const PROXY_HISTORY_LIMIT = 500;
/**
What the events pane keeps of one event: it shows one line of each, and 500 whole
events of 10 MiB held 1.8 GB after the browser left. With this cut the pane holds at
most ~4 MB (500 × 4 Ki UTF-16 characters) whatever the app sends.
*/
const PROXY_HISTORY_DATA_CHARS = 4 * 1024;

/**
What the pane keeps of a string from the app: at most PROXY_HISTORY_DATA_CHARS, with
a marker when cut, copied so that it shares no memory with the text it was cut from
(V8 keeps a slice's parent alive: a 4 Ki cut of a 4 MiB event, or a short event
sliced from a 1 MiB chunk, would hold the whole).
*/
function paneText(text: string): string {
  const kept = clipText(text, PROXY_HISTORY_DATA_CHARS);
  const shown = kept.omitted === 0 ? kept.text : `${kept.text}… (${kept.omitted} more characters)`;
  return Buffer.from(shown, 'utf16le').toString('utf16le');
}

/**
The console controller of `sse-console proxy`: the same log bus, snapshot and
command line as the console's, driving a proxy instead of the console's own stream.
`send`, `close` and `respond` act on the proxied streams; `delay`, `drop`, `pause`
and `resume` break them. Every injected or altered thing is marked in the log.
*/
export function createProxyController(options: ProxyControllerOptions): ProxyController {
  const { proxy, proxyUrl, upstreamUrl, openUrl = proxyUrl } = options;
  const now = options.now ?? Date.now;
  const bus = createLogBus();
  let seq = 0;
  const state = { raw: false };
  let version = 0;
  let disposed = false;
  /** What reached browsers, newest last, for the events pane: with the app's own ids, and the stream each went to. */
  const seen: PaneEvent[] = [];
  let seenCount = 0;
  /** Above 0 while a typed line runs: what it logs then is its reply. */
  let replying = 0;
  let replyLines: LogEntry[] = [];
  let lastReply: ConsoleSnapshot['lastReply'];
  /** Columns the view gives an answer (setViewWidth); undefined: line mode, no limit. */
  let viewWidth: number | undefined;

  function remember(report: ProxyReport): void {
    if (report.type !== 'stream-event' || report.treatment === 'dropped') return;
    const { event } = report;
    const mark = report.treatment === 'passed' ? '' : `[${report.treatment}] `;
    seenCount += 1;
    seen.push({
      ...(event.id === undefined ? {} : { id: paneText(event.id) }),
      ...(event.event === 'message' ? {} : { event: paneText(event.event) }),
      data: paneText(`${mark}${event.data}`),
      storedAt: now(),
      conn: report.stream.id,
    });
    if (seen.length > PROXY_HISTORY_LIMIT) seen.shift();
    changed();
  }

  function emit(kind: LogKind, text: string, fields?: LogRecord): void {
    const entry = logEntry(++seq, now(), kind, text, fields, replying > 0);
    if (replying > 0 && summarizesReply(entry)) replyLines.push(entry);
    bus.publish(entry);
  }

  function changed(): void {
    version += 1;
    bus.changed();
  }

  const noStream = (target: number): void =>
    emit('error', `no proxied stream #${target}; \`conns\` lists the live ones`);
  const exists = (target: number | 'all'): boolean =>
    target === 'all' || proxy.streams().some((stream) => stream.id === target);

  const context: ProxyContext = {
    proxy,
    state,
    now,
    emit,
    changed,
    quit: () => bus.quit(),
    exists,
    noStream,
    helpLines: proxyHelpLines,
    viewWidth: () => viewWidth,
  };

  const notAvailable = (name: string): void =>
    emit('error', `${name} is not available in proxy mode; proxy mode has ${proxyCommandNames()}`);

  /** A fault command (delay, drop, pause, resume) parses its own line; others go through the console's parser. */
  function runLine(line: string): void {
    const fault = faultModuleFor(line);
    if (fault?.parse !== undefined) {
      const tokens = tokenize(line);
      const words = tokens.ok ? tokens.tokens.map((token) => token.text) : [];
      if (words.some((word) => word === '--help' || word === '-h')) {
        for (const text of proxyHelpLines(fault.name)) emit('output', text);
        return;
      }
      const parsed = fault.parse(words);
      if (parsed.ok) fault.run(parsed.command, context);
      else emit('error', parsed.error);
      return;
    }
    const parsed = consoleLanguage.parseCommandLine(line);
    if (!parsed.ok) {
      emit('error', parsed.error);
      return;
    }
    const module = proxyModuleFor(parsed.command.name);
    if (module === undefined) notAvailable(parsed.command.name);
    else module.run(parsed.command, context);
  }

  function buildSnapshot(): ConsoleSnapshot {
    const answer = proxy.answer;
    const connections = proxy.streams().map(asConnection);
    return {
      sseUrl: proxyUrl,
      pagesUrl: upstreamUrl,
      connections,
      // The proxy stores nothing for replay (the app does) and runs no jobs.
      history: [],
      nextId: 1,
      jobs: [],
      respondPolicy: answer === undefined ? 'forward' : `${answer.status}${answer.once ? ' once' : ''} (by the proxy)`,
      raw: state.raw,
      ...(lastReply === undefined ? {} : { lastReply }),
      screen: proxyScreen({
        openUrl,
        upstreamUrl,
        streams: connections.length,
        events: [...seen],
        eventsPassed: seenCount,
        faults: describeShaping(proxy.shaping),
      }),
      version,
    };
  }

  let cached: ConsoleSnapshot | undefined;
  let cachedAt = 0;
  function snapshot(): ConsoleSnapshot {
    // Buffered and held bytes change without reports: a snapshot is rebuilt when a
    // quarter second old, as the console's is.
    if (!cached || cached.version !== version || now() - cachedAt > 250) {
      cached = buildSnapshot();
      cachedAt = now();
    }
    return cached;
  }

  return {
    // Proxy mode runs no lesson scripts: Ctrl+C always quits.
    interrupt: () => false,
    inputEnded: () => undefined,
    onScriptEnd: () => () => undefined,
    wantsBytes: () => state.raw,
    observe(report) {
      for (const line of describeProxyReport(report, state.raw)) emit(line.kind, line.text, line.fields);
      remember(report);
      if (report.type === 'stream-open' || report.type === 'stream-close' || report.type === 'answered') changed();
    },
    execute(line) {
      if (disposed || line.trim() === '') return;
      replying += 1;
      replyLines = [];
      try {
        emit('command', line);
        runLine(line);
      } catch (error) {
        emit('error', errorMessage(error));
      } finally {
        replying -= 1;
        // Kept above the prompt, as in the console, in place of the first screen's hint.
        lastReply = { command: line, answer: summarizeReply(replyLines) };
        replyLines = [];
        changed();
      }
    },
    snapshot,
    onLog: bus.onLog,
    onChange: bus.onChange,
    onQuit: bus.onQuit,
    log(kind, text, fields) {
      emit(kind, text, fields);
    },
    complete(line, cursor): Completion {
      return completeProxyLine(line, cursor);
    },
    setViewWidth(columns) {
      viewWidth = columns === undefined || columns < 1 ? undefined : Math.floor(columns);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await options.stopServers?.();
    },
  };
}
