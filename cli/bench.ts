import { requestBody, usageErrorText } from './subcommand-io.js';
import { createSseClient, type SseClient } from '../core/client/index.js';
import { createSamples, type Summary } from '../core/app/bench/samples.js';
import { serverTimestamp } from '../core/app/server-timestamp.js';
import { LINE_COLUMNS, showLine, terminalJson } from '../core/terminal/terminal-text.js';
import { isLoopbackHost, parseBenchArgs, type BenchOptions } from './bench-args.js';
import { BENCH_HELP } from './bench-help.js';

export interface BenchIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Aborting it stops the run early, as Ctrl+C does; the figures so far are printed. */
  readonly signal?: AbortSignal;
}

/** Error messages the report keeps (the count is exact). */
const KEPT_ERRORS = 5;

/** The `--json` report: one object, the last line of the output. */
export interface BenchReport {
  readonly type: 'bench';
  readonly url: string;
  readonly method: string;
  readonly connections: { readonly asked: number; readonly opened: number; readonly failed: number };
  readonly durationMs: number;
  readonly rampMs: number;
  readonly stoppedEarly: boolean;
  /** Request to 200 response, per connection (reconnects included). */
  readonly openMs: Summary | null;
  /** Request to first event, per connection (reconnects included). */
  readonly firstEventMs: Summary | null;
  readonly events: number;
  readonly eventsPerSecond: number;
  /** Time between two events on one connection, as they arrived. */
  readonly gapMs: Summary | null;
  /** Arrival minus the server's timestamp in the data (null when the data carries none). */
  readonly latencyMs: Summary | null;
  readonly reconnects: number;
  readonly errors: number;
  readonly errorMessages: readonly string[];
}

/**
`sse-console bench URL`: N streams from one process, opened over --ramp, held for
--duration, then closed; reports what an SSE user waits for. Each stream is the
library's own client (core/client), the one `connect` uses: it speaks any method,
body, TLS, chunked or HTTP/2-less server and reconnects as a browser does. (The
benchmark harness's raw-socket reader, bench/load, counts only its own marked
events on servers it starts, so it does not fit an arbitrary URL.)
*/
export async function runBench(argv: readonly string[], io: BenchIo): Promise<number> {
  const args = parseBenchArgs(argv);
  if (args.kind === 'help') {
    io.stdout.write(BENCH_HELP);
    return 0;
  }
  if (args.kind === 'error') {
    io.stderr.write(usageErrorText('bench', args.message));
    return 2;
  }
  const { options } = args;
  const read = await requestBody(options.data);
  if ('error' in read) {
    io.stderr.write(`sse-console bench: ${read.error}
`);
    return 2;
  }
  const { body } = read;
  if (!options.json) {
    const ramp = options.rampMs === 0 ? '' : `, opened over ${options.rampMs} ms`;
    io.stdout.write(
      `bench ${showLine(options.url, LINE_COLUMNS)}: ${options.connections} connection${options.connections === 1 ? '' : 's'} for ${options.durationMs} ms${ramp}\n`,
    );
  }
  const report = await load(options, body, io.signal);
  io.stdout.write(options.json ? `${terminalJson(report)}\n` : humanReport(report));
  return report.connections.failed > 0 || report.errors > 0 ? 1 : 0;
}

async function load(
  options: BenchOptions,
  body: string | Uint8Array | undefined,
  signal?: AbortSignal,
): Promise<BenchReport> {
  const openMs = createSamples();
  const firstEventMs = createSamples();
  const gapMs = createSamples();
  const latencyMs = createSamples();
  const errorMessages: string[] = [];
  let errors = 0;
  let reconnects = 0;
  let events = 0;
  let opened = 0;
  let failed = 0;
  const clients: SseClient[] = [];
  const timers: ReturnType<typeof setTimeout>[] = [];
  const startedAt = performance.now();
  let stoppedEarly = false;

  const noteError = (message: string): void => {
    errors += 1;
    if (errorMessages.length < KEPT_ERRORS) errorMessages.push(message);
  };

  function openOne(): void {
    let requestAt = performance.now();
    let openAt: number | undefined;
    let lastEventAt: number | undefined;
    let everOpened = false;
    // A redirect may not take the load where it was not allowed to go.
    const startHost = new URL(options.url).hostname;
    const client: SseClient = createSseClient({
      url: options.url,
      headers: options.headers,
      method: options.method,
      ...(body === undefined ? {} : { body }),
      insecure: options.insecure,
      reconnect: true,
      onConnect(info) {
        const host = new URL(info.url).hostname;
        if (host !== startHost && !isLoopbackHost(host)) {
          noteError(`redirected to ${host}, which bench may not load; stream closed`);
          client.close();
          return;
        }
        openAt = performance.now();
        openMs.add(openAt - requestAt);
        if (!everOpened) opened += 1;
        everOpened = true;
      },
      onEvent(event) {
        const now = performance.now();
        events += 1;
        if (openAt !== undefined) {
          firstEventMs.add(now - requestAt);
          openAt = undefined;
        }
        if (lastEventAt !== undefined) gapMs.add(now - lastEventAt);
        lastEventAt = now;
        const sentAt = serverTimestamp(event.data);
        if (sentAt !== undefined) latencyMs.add(event.time.getTime() - sentAt);
      },
      onReconnecting(info) {
        reconnects += 1;
        requestAt = performance.now() + info.delayMs;
        openAt = undefined;
        lastEventAt = undefined;
      },
      onError(error) {
        noteError(error.message);
      },
      onClose(info) {
        if (info.reason === 'failed' && !everOpened) failed += 1;
      },
    });
    clients.push(client);
  }

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      for (const timer of timers) clearTimeout(timer);
      signal?.removeEventListener('abort', early);
      resolve();
    };
    const early = (): void => {
      stoppedEarly = true;
      stop();
    };
    for (let index = 0; index < options.connections; index += 1) {
      const at = options.connections === 1 ? 0 : (options.rampMs * index) / (options.connections - 1);
      if (at === 0) openOne();
      else timers.push(setTimeout(openOne, at));
    }
    timers.push(setTimeout(stop, options.durationMs));
    if (signal?.aborted === true) early();
    signal?.addEventListener('abort', early, { once: true });
  });
  const elapsedMs = performance.now() - startedAt;
  for (const client of clients) client.close();
  // Connections never opened (ramp cut short, or still connecting) count as failed only when they failed.
  return {
    type: 'bench',
    url: options.url,
    method: options.method,
    connections: { asked: options.connections, opened, failed },
    durationMs: Math.round(elapsedMs),
    rampMs: options.rampMs,
    stoppedEarly,
    openMs: openMs.summary() ?? null,
    firstEventMs: firstEventMs.summary() ?? null,
    events,
    eventsPerSecond: Math.round((events / (elapsedMs / 1000)) * 10) / 10,
    gapMs: gapMs.summary() ?? null,
    latencyMs: latencyMs.summary() ?? null,
    reconnects,
    errors,
    errorMessages,
  };
}

function row(label: string, summary: Summary | null, none: string): string {
  if (summary === null) return `  ${label.padEnd(20)} ${none}\n`;
  return `  ${label.padEnd(20)} p50 ${summary.p50} ms   p99 ${summary.p99} ms   max ${summary.max} ms   (${summary.count})\n`;
}

function humanReport(report: BenchReport): string {
  const { connections } = report;
  const perConnection =
    connections.opened === 0 ? 0 : Math.round((report.eventsPerSecond / connections.opened) * 10) / 10;
  const lines = [
    `  connections          ${connections.opened} of ${connections.asked} opened, ${connections.failed} failed${report.stoppedEarly ? ' (stopped early)' : ''}\n`,
    row('time to open', report.openMs, 'no connection opened'),
    row('time to first event', report.firstEventMs, 'no event arrived'),
    `  events               ${report.events} in ${report.durationMs} ms: ${report.eventsPerSecond}/s (${perConnection}/s per connection)\n`,
    row('between events', report.gapMs, 'fewer than two events on any connection'),
    row('latency', report.latencyMs, 'no server timestamps in the data (a number, or JSON ts/timestamp/time/sentAt)'),
    `  reconnects           ${report.reconnects}\n`,
    `  errors               ${report.errors}\n`,
    ...report.errorMessages.map((message) => `    ${showLine(message, LINE_COLUMNS)}\n`),
  ];
  return lines.join('');
}
