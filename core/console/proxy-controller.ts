import { complete as completeLine, parseCommandLine } from '../commands/index.js';
import type { Command } from '../commands/types.js';
import { cutToWidth, LINE_COLUMNS, showLine } from '../terminal/terminal-text.js';
import { createLogBus } from './log-bus.js';
import type { Proxy } from '../proxy/create-proxy.js';
import type { ProxyReport, ProxyStreamInfo } from '../proxy/types.js';
import type { ConnectionInfo, HistoryRecord } from '../stream/types.js';
import { encodeEvent } from '../wire/encode-event.js';
import { connectionRows, formatDuration } from './format.js';
import { parseProxyFaultCommand, type ProxyFaultCommand } from './proxy-fault-commands.js';
import { proxyHelpLines } from './proxy-help.js';
import { describeProxyReport } from './proxy-log.js';
import type { Completion, ConsoleController, ConsoleSnapshot, LogKind } from './types.js';

export interface ProxyControllerOptions {
  readonly proxy: Proxy;
  readonly proxyUrl: string;
  readonly upstreamUrl: string;
  readonly now?: () => number;
  readonly stopServers?: () => Promise<void>;
}

export interface ProxyController extends ConsoleController {
  /** Where the proxy reports to (createProxy's `report` option). */
  observe(report: ProxyReport): void;
  /** True while `raw on`: createProxy's `wantsBytes` option. */
  wantsBytes(): boolean;
}

/** Commands of the console that mean something in proxy mode (besides the fault commands). */
const PROXY_COMMANDS = new Set(['send', 'close', 'respond', 'respond-reset', 'conns', 'raw', 'clear', 'help', 'quit']);
/** Events kept for the history pane (the newest that reached a browser). */
const PROXY_HISTORY_LIMIT = 500;

/** A proxied stream as the connections pane and `conns` show a connection. */
function asConnection(stream: ProxyStreamInfo): ConnectionInfo {
  return {
    id: stream.id,
    remoteAddress: stream.remoteAddress,
    remotePort: stream.remotePort,
    userAgent: stream.userAgent,
    path: `${stream.upstreamUrl}${stream.faults === '' ? '' : ` [${stream.faults}]`}`,
    lastEventIdRequested: stream.lastEventIdSent,
    connectedAt: stream.openedAt,
    eventsSent: stream.events,
    bytesSent: stream.bytes,
    bufferedBytes: stream.bufferedBytes + stream.heldBytes,
    slow: stream.bufferedBytes > 0,
  };
}

/**
The console controller of `sse-console proxy`: the same log bus, snapshot and
command line as the console's, driving a proxy instead of the console's own stream.
`send`, `close` and `respond` act on the proxied streams; `delay`, `drop`, `pause`
and `resume` break them. Every injected or altered thing is marked in the log.
*/
export function createProxyController(options: ProxyControllerOptions): ProxyController {
  const { proxy, proxyUrl, upstreamUrl } = options;
  const now = options.now ?? Date.now;
  const bus = createLogBus();
  let seq = 0;
  let raw = false;
  let version = 0;
  let disposed = false;
  /**
  What reached browsers, newest last, for the history pane. The pane numbers rows with
  the record id, which here counts events in the order they passed (an app's own ids
  may repeat across streams or not be numbers); the event's own id leads the data.
  */
  const seen: HistoryRecord[] = [];
  let seenCount = 0;
  /** Streams opened through the proxy so far (the panes tell "none yet" from "all closed"). */
  let streamsOpened = 0;

  function remember(report: ProxyReport): void {
    if (report.type !== 'stream-event' || report.treatment === 'dropped') return;
    const { event } = report;
    const ownId = event.id === undefined ? '' : `id ${event.id} · `;
    const mark = report.treatment === 'passed' ? '' : `[${report.treatment}] `;
    seenCount += 1;
    seen.push({
      id: seenCount,
      data: `#${report.stream.id} ${mark}${ownId}${event.data}`,
      ...(event.event === 'message' ? {} : { event: event.event }),
      storedAt: now(),
    });
    if (seen.length > PROXY_HISTORY_LIMIT) seen.shift();
    changed();
  }

  function emit(kind: LogKind, text: string, fields?: Readonly<Record<string, unknown>>): void {
    // As in the console: cut to the display budget, and errors and warnings escaped to one line.
    const shown = kind === 'error' || kind === 'warn' ? showLine(text, LINE_COLUMNS) : cutToWidth(text, LINE_COLUMNS);
    bus.publish({ seq: ++seq, time: now(), kind, text: shown, ...(fields ? { fields } : {}) });
  }

  function changed(): void {
    version += 1;
    bus.changed();
  }

  const noStream = (target: number): void =>
    emit('error', `no proxied stream #${target}; \`conns\` lists the live ones`);
  const exists = (target: number | 'all'): boolean =>
    target === 'all' || proxy.streams().some((stream) => stream.id === target);

  function runFault(command: ProxyFaultCommand): void {
    if (!exists(command.target)) {
      noStream(command.target as number);
      return;
    }
    const where = command.target === 'all' ? 'all streams (and new ones)' : `#${command.target}`;
    switch (command.name) {
      case 'delay':
        proxy.setFault(command.target, () => ({ delayMs: command.ms }));
        emit(
          'output',
          command.ms === 0
            ? `delay off on ${where}`
            : `delaying every upstream event by ${formatDuration(command.ms)} on ${where}; events that pass are marked [delayed]`,
          { type: 'proxy-fault', fault: 'delay', ms: command.ms, target: command.target },
        );
        break;
      case 'drop':
        proxy.setFault(command.target, () => ({ drop: command.count }));
        emit(
          'output',
          `dropping the next ${command.count} upstream events on ${command.target === 'all' ? 'each live stream' : where}; each is logged [dropped]`,
          { type: 'proxy-fault', fault: 'drop', count: command.count, target: command.target },
        );
        break;
      case 'pause':
      case 'resume':
        proxy.setFault(command.target, () => ({ paused: command.name === 'pause' }));
        emit(
          'output',
          command.name === 'pause'
            ? `paused ${where}: upstream events are held until \`resume\``
            : `resumed ${where}: held events go out now, marked [delayed]`,
          { type: 'proxy-fault', fault: command.name, target: command.target },
        );
        break;
    }
    changed();
  }

  function run(command: Command): void {
    switch (command.name) {
      case 'send': {
        if (command.id) {
          emit(
            'error',
            'send --id: in proxy mode ids belong to your app; send without --id (an injected event never moves the ids)',
          );
          return;
        }
        const input = {
          data: command.data,
          ...(command.event === undefined ? {} : { event: command.event }),
          ...(command.retry === undefined ? {} : { retry: command.retry }),
        };
        const target = command.to ?? 'all';
        if (!exists(target)) {
          noStream(command.to ?? 0);
          return;
        }
        const bytes = encodeEvent(input);
        const count = proxy.inject(target, bytes, {
          event: command.event ?? 'message',
          data: command.data,
          id: undefined,
          lastEventId: '',
        });
        emit('output', `injected into ${count} stream${count === 1 ? '' : 's'} (between upstream events)`, {
          type: 'proxy-injected',
          streams: count,
        });
        return;
      }
      case 'close': {
        if (!exists(command.target)) {
          noStream(command.target as number);
          return;
        }
        const count = proxy.close(command.target);
        emit(
          'output',
          `closed ${count} stream${count === 1 ? '' : 's'} from the browser side and their upstream requests; browsers reconnect with Last-Event-ID`,
        );
        return;
      }
      case 'respond':
        if (command.status === 200) {
          proxy.setAnswer(undefined);
          emit(
            'output',
            "respond 200: a stream is the app's own answer, so stream requests are forwarded upstream (as after `respond reset`)",
          );
          changed();
          return;
        }
        proxy.setAnswer({ status: command.status, headers: command.headers, once: command.once });
        emit(
          'output',
          `the next stream request${command.once ? ' is' : 's are'} answered ${command.status} by the proxy, without asking upstream (\`respond reset\` forwards again)`,
        );
        changed();
        return;
      case 'respond-reset':
        proxy.setAnswer(undefined);
        emit('output', 'stream requests are forwarded upstream again');
        changed();
        return;
      case 'conns':
        for (const line of connectionRows(proxy.streams().map(asConnection), now())) emit('output', line);
        return;
      case 'raw':
        raw = command.on;
        emit('output', raw ? 'raw on: the exact bytes of every proxied stream are shown' : 'raw off');
        changed();
        return;
      case 'clear':
        emit('clear', '');
        return;
      case 'help':
        for (const line of proxyHelpLines(command.topic)) emit('output', line);
        return;
      case 'quit':
        bus.quit();
        return;
      default:
        emit(
          'error',
          `${command.name} is not available in proxy mode; proxy mode has send, close, respond, delay, drop, pause, resume, conns, raw, clear, help and quit`,
        );
    }
  }

  function buildSnapshot(): ConsoleSnapshot {
    const answer = proxy.answer;
    return {
      sseUrl: proxyUrl,
      pagesUrl: upstreamUrl,
      connections: proxy.streams().map(asConnection),
      connectionsSeen: streamsOpened,
      history: [...seen],
      nextId: seenCount + 1,
      jobs: [],
      respondPolicy: answer === undefined ? 'forward' : `${answer.status}${answer.once ? ' once' : ''} (by the proxy)`,
      raw,
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
    wantsBytes: () => raw,
    observe(report) {
      for (const line of describeProxyReport(report, raw)) emit(line.kind, line.text, line.fields);
      remember(report);
      if (report.type === 'stream-open') streamsOpened += 1;
      if (report.type === 'stream-open' || report.type === 'stream-close' || report.type === 'answered') changed();
    },
    execute(line) {
      if (disposed || line.trim() === '') return;
      emit('command', line);
      try {
        const words = line.trim().split(/\s+/);
        if (
          ['delay', 'drop', 'pause', 'resume'].includes(words[0] ?? '') &&
          words.some((word) => word === '--help' || word === '-h')
        ) {
          for (const text of proxyHelpLines(words[0])) emit('output', text);
          return;
        }
        const fault = parseProxyFaultCommand(line);
        if (fault !== undefined) {
          if (fault.ok) runFault(fault.command);
          else emit('error', fault.error);
          return;
        }
        const parsed = parseCommandLine(line);
        if (!parsed.ok) {
          emit('error', parsed.error);
          return;
        }
        if (!PROXY_COMMANDS.has(parsed.command.name)) {
          emit(
            'error',
            `${parsed.command.name} is not available in proxy mode; proxy mode has send, close, respond, delay, drop, pause, resume, conns, raw, clear, help and quit`,
          );
          return;
        }
        run(parsed.command);
      } catch (error) {
        emit('error', (error as Error).message);
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
      return completeLine(line, cursor, []);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await options.stopServers?.();
    },
  };
}
