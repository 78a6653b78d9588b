import { request, type ClientRequest } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireE2eTools } from './support/required-tools.js';
import { exitedLine, startTuiInTmux, statusUrls, typeCommand, type TuiRun } from './support/tui-process.js';

// The real Ink TUI in a real terminal (tmux): type commands, watch the panes, quit cleanly.

let tui: TuiRun | undefined;
const clients: ClientRequest[] = [];

// A missing tool fails every test, rather than marking them skipped.
beforeEach(() => {
  requireE2eTools();
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  tui?.close();
  tui = undefined;
});

/** Opens the stream as a plain HTTP client and resolves once the 200 headers arrived. */
function connectClient(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = request(url, { headers: { 'User-Agent': 'e2e-client/1.0' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    client.on('error', reject);
    client.end();
    clients.push(client);
  });
}

/** Resolves once `port` can be bound on 127.0.0.1 again (and releases it). */
function bindAgain(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

describe('the TUI under tmux', () => {
  it('shows the URLs, sends, lists connections, explains mistakes, helps and quits cleanly on Ctrl+C', async () => {
    const run = (tui = startTuiInTmux());
    const { tmux } = run;

    const start = await tmux.waitForScreen(
      'the status line with both URLs',
      (screen) => statusUrls(screen) !== undefined,
      30_000,
    );
    const urls = statusUrls(start)!;
    expect(start).toMatch(/0 connections · 0 stored, next id 1/);
    expect(start).toContain('Connections (0)');

    await typeCommand(tmux, 'send --data "Hello" --id');
    const sent = await tmux.waitForScreen('id 1 "Hello" in the history pane', (screen) =>
      /^\s+1 message\s+Hello\s+\d\d:\d\d:\d\d\s*$/m.test(screen),
    );
    expect(sent).toMatch(/sent id 1 "Hello" to 0 connections \(stored for replay\)/);
    expect(sent).toContain('Stored events (1, next id 2)');

    expect(await connectClient(urls.sseUrl)).toBe(200);
    const connected = await tmux.waitForScreen('connection #1 in the connections pane', (screen) =>
      /^#1\s+127\.0\.0\.1:\d+\s+e2e-client\b/m.test(screen),
    );
    expect(connected).toContain('Connections (1)');
    expect(connected).toMatch(/#1 replayed 1 stored event \(id 1\)/);

    await typeCommand(tmux, 'sendd');
    const mistake = await tmux.waitForScreen('the unknown-command error', (screen) =>
      screen.includes('unknown command "sendd"'),
    );
    expect(mistake).toMatch(/unknown command "sendd" \(did you mean send\?\)/);

    tmux.sendKeys(['?'], { literal: true });
    const help = await tmux.waitForScreen('the help overlay', (screen) => screen.includes('Esc closes'));
    expect(help).toMatch(/send\s+Send one event to every connected client/);
    expect(help).not.toContain('Connections (1)');
    tmux.sendKeys(['Escape']);
    const closedHelp = await tmux.waitForScreen(
      'the panes again',
      (screen) => !screen.includes('Esc closes') && screen.includes('Connections (1)'),
    );
    // Esc left an empty prompt: the `?` was not typed into it.
    expect(closedHelp).toMatch(/^›\s*$/m);

    tmux.sendKeys(['C-c']);
    const exited = await tmux.waitForScreen('the process to exit', (screen) => exitedLine.test(screen), 20_000);
    expect(exitedLine.exec(exited)?.[1]).toBe('0');
    // The terminal is given back: cursor visible, no alternate screen left behind.
    expect(tmux.display('#{cursor_flag} #{alternate_on}')).toBe('1 0');
    await bindAgain(Number(new URL(urls.sseUrl).port));
    await bindAgain(Number(new URL(urls.pagesUrl).port));
  });
});
