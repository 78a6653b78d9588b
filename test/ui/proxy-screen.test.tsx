import { request, type ServerResponse } from 'node:http';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { createProxyController, type ProxyController } from '../../core/app/console/proxy-controller.js';
import type { LogEntry } from '../../core/app/console/types.js';
import { createProxy } from '../../core/app/proxy/create-proxy.js';
import { startProxyServer } from '../../core/app/proxy/start-proxy-server.js';
import { App } from '../../ui/app.js';
import { startUpstream } from '../core/app/proxy/support.js';
import { useCleanup, waitFor } from '../support/wait.js';
import { frameText, keys, typeAndWait, waitForFrame, waitForInputReady, type RenderedApp } from './helpers.js';

// Proxy mode's screen, with the real proxy controller in front of a real app: it offers
// only what proxy mode runs, shows the app's ids, and names the upstream as the upstream.

const cleanup = useCleanup();

interface ProxyScreen {
  readonly controller: ProxyController;
  readonly app: RenderedApp;
  readonly log: LogEntry[];
  /** The app's open /events responses, in order. */
  readonly streams: ServerResponse[];
  readonly proxyUrl: string;
  readonly upstreamUrl: string;
}

async function startProxyScreen(options: { openUrl?: (proxyUrl: string) => string } = {}): Promise<ProxyScreen> {
  const streams: ServerResponse[] = [];
  const upstream = await startUpstream((req, res) => {
    if (req.url?.startsWith('/events') === true) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.flushHeaders();
      streams.push(res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }, cleanup);
  const view: { controller?: ProxyController } = {};
  const proxy = createProxy({
    upstream: upstream.url,
    report: (report) => view.controller?.observe(report),
    wantsBytes: () => view.controller?.wantsBytes() ?? false,
  });
  const server = await startProxyServer(0, proxy, { host: '127.0.0.1' });
  const controller = createProxyController({
    proxy,
    proxyUrl: server.url,
    upstreamUrl: upstream.url.href,
    ...(options.openUrl === undefined ? {} : { openUrl: options.openUrl(server.url) }),
    stopServers: () => server.stop(),
  });
  view.controller = controller;
  cleanup(() => controller.dispose());
  const log: LogEntry[] = [];
  controller.onLog((entry) => log.push(entry));
  const app = render(<App controller={controller} colors={false} frameMs={10} onForceQuit={() => undefined} />);
  cleanup(() => {
    app.unmount();
    app.cleanup();
  });
  await waitForFrame(app, /^›/m);
  await waitForInputReady(app);
  return { controller, app, log, streams, proxyUrl: server.url, upstreamUrl: upstream.url.href };
}

/** Opens a stream through the proxy, as a browser's EventSource would. */
function openStream(proxyUrl: string, path = '/events'): void {
  const req = request(new URL(path, proxyUrl), { headers: { Accept: 'text/event-stream' } }, (res) => res.resume());
  req.on('error', () => undefined);
  req.end();
  cleanup(() => req.destroy());
}

/** The live part of a proxy frame: from the status line on. */
function livePart(frame: string): string {
  const start = frame.lastIndexOf('\nproxy http');
  return start < 0 ? frame : frame.slice(start + 1);
}

/** Every `command` the text names in backticks. */
function quotedCommands(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/** The first hint's commands: `? help · send TEXT · … · Tab completes` less the keys. */
function hintCommands(hint: string): string[] {
  return hint
    .split(' · ')
    .map((part) => part.trim())
    .filter((part) => part !== '? help' && part !== 'Tab completes');
}

/** Runs `line` and returns what it answered (the log lines after its echo). */
function answer(screen: ProxyScreen, line: string): LogEntry[] {
  const before = screen.log.length;
  screen.controller.execute(line);
  return screen.log.slice(before + 1);
}

function refusal(entries: readonly LogEntry[]): string | undefined {
  return entries.find((entry) => entry.kind === 'error')?.text;
}

describe("proxy mode's screen", () => {
  it('offers on its first screen only commands proxy mode runs, each as it stands', async () => {
    const screen = await startProxyScreen();
    const first = livePart(frameText(screen.app));
    const hint = first.split('\n').find((line) => line.startsWith('? help'));
    expect(hint).toBeDefined();
    expect(hint).not.toMatch(/\btour\b|\bopen\b/);
    const offered = [...hintCommands(hint ?? ''), ...quotedCommands(first)];
    expect(offered.length).toBeGreaterThan(0);
    // Every offer is a line proxy mode runs without complaint (it was `tour` and `open`).
    for (const line of offered) expect(refusal(answer(screen, line)), line).toBeUndefined();
    // Nothing on the first screen names a console command proxy mode refuses.
    expect(first).not.toMatch(/`(open|tour|history)`/);
    expect(first).not.toContain('stored');
  });

  it('lists the proxy commands under ?, and Tab completes only those', async () => {
    const screen = await startProxyScreen();
    const help = await typeAndWait(screen.app, '?', 'Esc closes');
    expect(help).toContain('Proxy mode commands');
    expect(help).toMatch(/drop N \[CONN\|all\]/);
    expect(help).not.toMatch(/^│\s+(tour|open|history)\b/m);
    await typeAndWait(screen.app, keys.escape, (frame) => !frame.includes('Esc closes'));
    // The console has `help` and `history`; proxy mode only `help`, so Tab completes it.
    await typeAndWait(screen.app, ['h', keys.tab], /^› help$/m);
    expect(screen.controller.complete('send --i').candidates).toEqual([]);
    expect(screen.controller.complete('t').candidates).toEqual([]);
    expect(screen.controller.complete('pause ').candidates).toEqual(['all']);
  });

  it('explains with help COMMAND only what proxy mode runs, as it runs there', async () => {
    const screen = await startProxyScreen();
    const text = (line: string): string =>
      answer(screen, line)
        .map((entry) => entry.text)
        .join('\n');
    // A console command is not explained (that would offer it): the answer names proxy mode's.
    for (const refused of ['tour', 'open', 'history']) {
      expect(text(`help ${refused}`)).toMatch(new RegExp(`^no command "${refused}" in proxy mode; it has send, close`));
      expect(refusal(answer(screen, refused))).toMatch(/is not available in proxy mode/);
    }
    const send = text('help send');
    expect(send).toMatch(/^usage: send \[TEXT\] \[--event NAME\] \[--to CONN\]$/m);
    // Not the console's send: no --id, --file or --channel offered as options or examples.
    expect(send).not.toMatch(/^\s+-[ifc], --(id|file|channel)|^\s+send .*--(id|file|channel)/m);
    expect(text('help close')).toMatch(/^ {2}close CONN\|all {2}cut the browser side and the upstream request/m);
  });

  it("shows the app's own ids (none for an event without one) in an events pane that stores nothing", async () => {
    const screen = await startProxyScreen();
    openStream(screen.proxyUrl);
    const [stream] = await waitFor(() => (screen.streams.length > 0 ? screen.streams : undefined), 'the stream');
    stream?.write('id: order-17\nevent: order\ndata: placed\n\n');
    stream?.write('data: no id here\n\n');
    for (let n = 1; n <= 8; n += 1) stream?.write(`id: ${1000 + n}\ndata: tick ${n}\n\n`);
    const frame = livePart(await waitForFrame(screen.app, /^#1 +1008 +message +tick 8/m));
    expect(frame).toContain('Events through the proxy (10 passed)');
    expect(frame).toMatch(/^1 stream · 10 events passed · respond forward$/m);
    expect(frame).not.toMatch(/stored|next id|`history`/);
    expect(frame).toMatch(/… 4 older; each was logged above/);
    // The first two, now among the older rows, are in the controller's model as the app sent them.
    const rows = screen.controller.snapshot().screen.events.rows;
    expect(rows.slice(0, 2).map(({ id, event, data, conn }) => ({ id, event, data, conn }))).toEqual([
      { id: 'order-17', event: 'order', data: 'placed', conn: 1 },
      { id: undefined, event: undefined, data: 'no id here', conn: 1 },
    ]);
    stream?.write('data: again without id\n\n');
    const noId = livePart(await waitForFrame(screen.app, 'again without id'));
    expect(noId).toMatch(/^#1 +message +again without id/m);
  });

  it('labels the upstream as the upstream, shows the address to open, and the path the browser asked for', async () => {
    const screen = await startProxyScreen({ openUrl: (url) => `${url}?sse-console-token=s3cret` });
    const openUrl = `${screen.proxyUrl}?sse-console-token=s3cret`;
    const first = livePart(frameText(screen.app));
    expect(first).toContain(`proxy ${openUrl}   upstream ${screen.upstreamUrl}`);
    expect(first).not.toContain('pages ');
    // The empty streams pane says to open that same address.
    expect(first).toContain(openUrl);
    expect(first).toMatch(/Streams \(0\)\n {2}none yet: open your app through the proxy/);

    openStream(screen.proxyUrl, '/events?room=7');
    const frame = livePart(await waitForFrame(screen.app, /^#1 /m));
    expect(frame).toMatch(/^#1 .* \/events\?room=7 /m);
    expect(frame).not.toContain(`${screen.upstreamUrl}events`);
  });

  it('answers pause with a resume that runs as it stands', async () => {
    const screen = await startProxyScreen();
    openStream(screen.proxyUrl);
    await waitFor(() => screen.streams[0], 'the stream');
    await waitForFrame(screen.app, /^#1 /m);
    for (const target of ['all', '1']) {
      const paused = answer(screen, `pause ${target}`);
      expect(refusal(paused)).toBeUndefined();
      const [resume] = quotedCommands(paused.map((entry) => entry.text).join('\n'));
      expect(resume).toBe(`resume ${target}`);
      const resumed = answer(screen, resume ?? '');
      expect(refusal(resumed), resume).toBeUndefined();
      expect(resumed.map((entry) => entry.text).join('\n')).toMatch(/^resumed /);
    }
    // On the screen: the pinned line holds the last answer, not the first hint.
    await typeAndWait(screen.app, ['pause all', keys.enter], /^› pause all → paused all streams/m);
    expect(livePart(frameText(screen.app))).not.toMatch(/^\? help/m);
  });
});
