import { createProxyController, type ProxyController } from '../core/app/console/proxy-controller.js';
import type { LogEntry } from '../core/app/console/types.js';
import { createProxy } from '../core/app/proxy/create-proxy.js';
import { startProxyServer } from '../core/app/proxy/start-proxy-server.js';
import { MAX_INPUT_LINE_BYTES, readInputLines } from './line-input.js';
import { lineFormatter, listeningLine } from './line-output.js';
import { createLineWriter } from './line-writer.js';
import { parseProxyArgs } from './proxy-args.js';
import { proxyHelp } from './proxy-help.js';
import { packageVersion } from './version.js';

/**
Lines the app's traffic causes are activity, whatever their kind: a stream's
warnings (one per unknown field line) and a failed request's 502 are written only
while the reader keeps up, like events, or an app could queue output without limit.
*/
function isProxyActivity(entry: LogEntry): boolean {
  const type = entry.fields?.type;
  return type === 'proxy-stream-warning' || type === 'proxy-request';
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);
const shutdownLimitMs = 2000;

/** `sse-console proxy URL`: returns an exit code for argument errors, else runs until quit. */
export async function runProxy(argv: readonly string[]): Promise<number | undefined> {
  const parsed = parseProxyArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(proxyHelp(packageVersion()));
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`sse-console: ${parsed.message}\n`);
    return 2;
  }
  const { args } = parsed;
  // The proxy reports to the controller, which is made once the listener's URL is known.
  const view: { controller?: ProxyController } = {};
  const proxy = createProxy({
    upstream: args.upstream,
    token: args.token,
    listenHost: args.host,
    upstreamTimeoutMs: args.upstreamTimeoutMs,
    maxBufferSize: args.maxBufferSize,
    report: (report) => view.controller?.observe(report),
    wantsBytes: () => view.controller?.wantsBytes() ?? false,
  });
  const server = await startProxyServer(args.port, proxy, { host: args.host, portFallback: !args.strictPort });
  const upstreamUrl = args.upstream.href;
  // What the user opens: with --token, the address that hands the browser its cookie.
  const open =
    args.token === undefined ? server.url : `${server.url}?sse-console-token=${encodeURIComponent(args.token)}`;
  const controller = createProxyController({
    proxy,
    proxyUrl: server.url,
    upstreamUrl,
    openUrl: open,
    stopServers: () => server.stop(),
  });
  view.controller = controller;
  const notes: { kind: 'info' | 'warn'; text: string }[] = [];
  if (server.port !== server.requestedPort && server.requestedPort !== 0) {
    notes.push({
      kind: 'warn',
      text: `port ${server.requestedPort} was busy; the proxy moved to port ${server.port} (--strict-port refuses instead)`,
    });
  }
  if (!loopbackHosts.has(args.host)) {
    notes.push({
      kind: 'warn',
      text: `listening on ${args.host}: other machines that can reach it can use your app through the proxy${args.token === undefined ? ' (no --token set: anyone can)' : ''}`,
    });
  }
  const running = controller;

  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) process.exit(130);
    stopping = true;
    setTimeout(() => process.exit(code), shutdownLimitMs).unref();
    running.dispose().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('SIGHUP', () => stop(0));

  const useTui = args.tui && !args.json && process.stdin.isTTY && process.stdout.isTTY;
  if (!useTui) {
    const formatter = await lineFormatter(args.json, process.stdout, process.env);
    // The console's line writer: bounded for a reader that stops reading, quiet on EPIPE.
    const writer = createLineWriter({
      output: process.stdout,
      format: (entry) => formatter.format(entry),
      // The reader went away (`sse-console proxy … | head`): nobody sees the log, so stop quietly.
      onClosed: () => stop(0),
      isActivity: isProxyActivity,
    });
    if (args.json) {
      process.stdout.write(`${listeningLine({ type: 'listening', proxy: server.url, upstream: upstreamUrl })}\n`);
    } else {
      running.log('info', `proxy on ${server.url} for ${upstreamUrl}: open ${open} instead of your app`);
      running.log('info', 'type commands, one per line (help lists them)');
    }
    for (const note of notes) running.log(note.kind, note.text);
    running.onLog((entry) => writer.write(entry));
    running.onQuit(() => stop(0));
    readInputLines(process.stdin, {
      line: (line) => running.execute(line),
      tooLong: (bytes) =>
        running.log(
          'error',
          `skipped an input line of ${bytes} bytes: a command line may be at most ${MAX_INPUT_LINE_BYTES} bytes`,
        ),
      end: () => undefined,
    });
    return undefined;
  }
  running.log('info', `proxy on ${server.url} for ${upstreamUrl}: open ${open} instead of your app`);
  for (const note of notes) running.log(note.kind, note.text);
  const { runTui } = await import('../ui/run-tui.js');
  await runTui({ controller: running });
  stop(0);
  return undefined;
}
