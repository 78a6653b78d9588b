import { request, type ClientRequest, type ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';
import { startLocalServer, type LocalServer } from './support/http-server.js';
import { requireE2eTools } from './support/required-tools.js';
import { exitedLine, startProxyTuiInTmux, typeCommand, type TuiRun } from './support/tui-process.js';

// `sse-console proxy URL`, the real binary in a real 80×24 terminal (tmux), in front of a
// small real SSE app: its screen offers only what proxy mode runs and shows the app's ids.

let tui: TuiRun | undefined;
let upstream: LocalServer | undefined;
const clients: ClientRequest[] = [];

beforeEach(() => {
  requireE2eTools();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  tui?.close();
  tui = undefined;
  await upstream?.close();
  upstream = undefined;
});

/** The proxy's address and the upstream's, from the status line. */
function statusAddresses(screen: string): { proxyUrl: string; upstreamUrl: string } | undefined {
  const match = /^proxy (http:\/\/127\.0\.0\.1:\d+\/) {3}upstream (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(screen);
  return match?.[1] && match[2] ? { proxyUrl: match[1], upstreamUrl: match[2] } : undefined;
}

describe('the proxy TUI under tmux at 80×24', () => {
  it("labels the upstream, offers proxy commands only, shows the app's ids and quits cleanly", async () => {
    const streams: ServerResponse[] = [];
    const app = (upstream = await startLocalServer((req, res) => {
      if (req.url === '/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.flushHeaders();
        streams.push(res);
        return;
      }
      res.writeHead(404).end();
    }));
    const run = (tui = startProxyTuiInTmux(`${app.origin}/`));
    const { tmux } = run;

    const start = await tmux.waitForScreen(
      'the status line: proxy and upstream',
      (screen) => statusAddresses(screen) !== undefined,
      30_000,
    );
    const { proxyUrl, upstreamUrl } = statusAddresses(start)!;
    expect(upstreamUrl).toBe(`${app.origin}/`);
    expect(start).not.toMatch(/^SSE |pages http/m);
    expect(start).toMatch(/^0 streams · 0 events passed · respond forward$/m);
    expect(start).toMatch(/^ {2}none yet: open your app through the proxy,/m);
    expect(start).toContain(proxyUrl);
    const hint = start.split('\n').find((line) => line.startsWith('? help'));
    expect(hint).toBe('? help · send TEXT · close all · delay 2s · pause all · Tab completes');
    expect(start).not.toMatch(/stored|next id|`open`|\btour\b/);

    const client = request(`${proxyUrl}events`, { headers: { Accept: 'text/event-stream' } }, (res) => res.resume());
    client.on('error', () => undefined);
    client.end();
    clients.push(client);
    const [stream] = await waitFor(() => (streams.length > 0 ? streams : undefined), 'the stream at the app');
    stream?.write('id: app-41\ndata: hello\n\n');
    stream?.write('data: plain\n\n');
    const events = await tmux.waitForScreen('both events in the events pane', (screen) =>
      /^#1 +message +plain/m.test(screen),
    );
    expect(events).toMatch(/^#1 +app-41 +message +hello +\d\d:\d\d:\d\d$/m);
    expect(events).toMatch(/^Events through the proxy \(2 passed\)$/m);
    expect(events).toMatch(/^1 stream · 2 events passed · respond forward$/m);
    // The stream's row: the path the browser asked for, not the upstream URL cut short.
    expect(events).toMatch(/^#1 +\S.* \/events +- +\d+s +2 /m);
    for (const line of events.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);

    await typeCommand(tmux, 'pause all');
    const paused = await tmux.waitForScreen('the pause answer', (screen) => screen.includes('`resume all`'));
    expect(paused).toMatch(/^› pause all → paused all streams/m);
    await typeCommand(tmux, 'resume all');
    await tmux.waitForScreen('the resume answer', (screen) => /^› resume all → resumed all streams/m.test(screen));

    tmux.sendKeys(['C-c']);
    const exited = await tmux.waitForScreen('the process to exit', (screen) => exitedLine.test(screen), 20_000);
    expect(exitedLine.exec(exited)?.[1]).toBe('0');
  });
});
