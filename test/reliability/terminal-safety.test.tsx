/**
A hostile server reached with `connect`, and one corpus of hostile text run against
every output that writes to a terminal: `connect` (human, --raw, --json), line mode
(human and --json, the console's own `connect`), the TUI, and `proxy` (its --json,
human line mode and TUI, with the same server behind it). No raw control, ESC
sequence or bidi control may reach the output; a token in the URL is never shown.
*/
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { createConsoleController } from '../../core/app/console/create-console-controller.js';
import { startSseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import { createProxyController, type ProxyController } from '../../core/app/console/proxy-controller.js';
import { createProxy } from '../../core/app/proxy/create-proxy.js';
import { startProxyServer } from '../../core/app/proxy/start-proxy-server.js';
import { App } from '../../ui/app.js';
import { BINARY } from './support/build.js';
import { startConnect } from './support/connect-process.js';
import { crashSigns, startConsoleProcess } from '../support/console-process.js';
import { HOSTILE_TEXTS, hostileEventStream, unsafeCharacters } from './support/hostile-text.js';
import { startHostileServer, writeMany, type HostileServer } from './support/hostile-server.js';
import { openStream } from './support/stream-client.js';
import { useCleanup, waitFor, type Cleanup } from '../support/wait.js';

const cleanup = useCleanup();

const SECRET = 'sekrit-token-4711';
/** A reason phrase that writes the clipboard (OSC 52), sets the title (OSC 0) and clears the screen. */
const HOSTILE_REASON = 'OK \u001b]52;c;cHduZWQ=\u0007\u001b]0;pwned\u0007\u001b[2J\u001b[H';
/** The last id of the first response: C1 controls, which the client can send back as Last-Event-ID. */
const LAST_ID = 'id\u0085\u009b2J';
/** Events in the first response (the corpus, then one carrying LAST_ID). */
const FIRST_EVENTS = HOSTILE_TEXTS.length + 1;

/**
The first request gets every hostile text as event name, id, data, comment, unknown field
and retry value, then an event with LAST_ID, and the body ends; the reconnect (which sends
that id back) gets one more event and stays open.
*/
async function startCorpusServer(cleanupTask: Cleanup): Promise<HostileServer> {
  let requests = 0;
  return startHostileServer(() => {
    requests += 1;
    const first = requests === 1;
    return {
      statusLine: `HTTP/1.1 200 ${HOSTILE_REASON}`,
      // latin1: 0x9B and 0x85 are C1 controls once decoded.
      headers: ['X-Evil: a\u009b2Jb\u0085c'],
      body: (socket) => {
        if (first) {
          socket.end(Buffer.from(`retry: 20\n\n${hostileEventStream()}id: ${LAST_ID}\ndata: last\n\n`, 'utf8'));
        } else {
          socket.write('data: after the reconnect\n\n');
        }
      },
    };
  }, cleanupTask);
}

/** The console's TUI in ink-testing-library, over a real local stream server; cleaned up after the test. */
async function renderConsoleTui() {
  const sse = createSse({ heartbeatMs: 0 });
  const local = await startSseServer(0, sse, { host: '127.0.0.1' });
  const controller = createConsoleController({
    sse,
    sseUrl: local.url,
    pagesUrl: 'http://127.0.0.1:1/',
    stopServers: () => local.stop(),
  });
  const app = render(<App controller={controller} colors={false} frameMs={10} onForceQuit={() => undefined} />);
  cleanup(async () => {
    app.unmount();
    app.cleanup();
    await controller.dispose();
    sse.stop();
  });
  return { controller, app };
}

function expectSafe(output: string, what: string): void {
  expect(unsafeCharacters(output), what).toEqual([]);
  expect(output, what).not.toContain(SECRET);
}

describe('`connect` shows a hostile server safely', () => {
  it('human output: no escape sequence, C1 control or bidi control reaches the terminal; the token is redacted', async () => {
    const server = await startCorpusServer(cleanup);
    const run = startConnect(
      [`${server.url}?token=${SECRET}`, '--max-events', String(FIRST_EVENTS + 1), '--timeout', '20s'],
      cleanup,
    );
    const exit = await run.exited;
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
    expectSafe(run.stdout() + run.stderr(), 'connect output');
    expect(run.stdout()).toContain('token=***');
    // What was escaped is shown, not dropped: the reason phrase, the RLO, the C1 id sent back.
    expect(run.stdout()).toContain('200 OK \\x1b]52;c;cHduZWQ=\\x07');
    expect(run.stdout()).toContain('tick\\u{202e}');
    expect(run.stdout()).toContain('x-evil: a\\x9b2Jb\\x85c');
    expect(run.stdout()).toMatch(/sent Last-Event-ID: id\\x85\\x9b2J/);
  }, 30_000);

  it('--raw output is as safe', async () => {
    const server = await startCorpusServer(cleanup);
    const run = startConnect([server.url, '--raw', '--max-events', String(FIRST_EVENTS), '--timeout', '20s'], cleanup);
    expect((await run.exited).code, run.stderr()).toBe(0);
    expectSafe(run.stdout() + run.stderr(), 'connect --raw output');
    expect(run.stdout()).toContain('\\x1b]0;pwned title\\x07');
  }, 30_000);

  it('--json: valid NDJSON with C1 and bidi controls as \\u escapes, parsing back to the exact strings', async () => {
    const server = await startCorpusServer(cleanup);
    const run = startConnect(
      [server.url, '--json', '--max-events', String(FIRST_EVENTS + 1), '--timeout', '20s'],
      cleanup,
    );
    expect((await run.exited).code, run.stderr()).toBe(0);
    expectSafe(run.stdout(), 'connect --json output');
    const records = run
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const events = records.filter((record) => record['type'] === 'event');
    expect(events.map((event) => event['data'])).toEqual([
      ...HOSTILE_TEXTS.map((text, index) => `${text}\n#${index}`),
      'last',
      'after the reconnect',
    ]);
    expect(events.slice(0, HOSTILE_TEXTS.length).map((event) => event['event'])).toEqual(HOSTILE_TEXTS);
    const open = records.find((record) => record['type'] === 'open');
    expect(open?.['statusText']).toBe(HOSTILE_REASON);
    const reopened = records.filter((record) => record['type'] === 'open')[1];
    expect(reopened?.['lastEventIdSent']).toBe(LAST_ID);
  }, 30_000);
});

describe("line mode shows what the console's own `connect` receives safely", () => {
  it('--json: every line valid, nothing unsafe raw, the token redacted', async () => {
    const server = await startCorpusServer(cleanup);
    const proc = await startConsoleProcess([], { cleanup });
    proc.type(`connect ${server.url}?token=${SECRET}`);
    await proc.waitForLog(
      (line) => line.type === 'remote-event' && line['data'] === 'after the reconnect',
      'the event after the reconnect',
    );
    expect(proc.otherOutput).toEqual([]);
    expectSafe(proc.rawStdout(), 'line mode --json output');
    const names = proc.logs.filter((line) => line.type === 'remote-event').map((line) => line['event']);
    expect(names.slice(0, HOSTILE_TEXTS.length)).toEqual(HOSTILE_TEXTS);
    expect(proc.stderr()).toBe('');
  }, 30_000);

  it('human output: nothing unsafe raw, the token redacted', async () => {
    const server = await startCorpusServer(cleanup);
    const home = mkdtempSync(join(tmpdir(), 'sse-console-terminal-'));
    cleanup(() => rmSync(home, { recursive: true, force: true }));
    const child = spawn(process.execPath, [BINARY, '--no-tui', '--port', '0', '--sse-port', '0'], {
      cwd: home,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', XDG_STATE_HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    cleanup(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stdin.write(`connect ${server.url}?token=${SECRET}\n`);
    await waitFor(() => output.includes('after the reconnect'), 'the event after the reconnect in line mode', 20_000);
    expectSafe(output, 'line mode output');
    expect(output).toContain('token=***');
    expect(output).toContain('tick\\u{202e}');
  }, 30_000);
});

describe('the TUI shows what its `connect` receives safely', () => {
  it('no frame holds anything unsafe raw; the status line redacts the token', async () => {
    const server = await startCorpusServer(cleanup);
    const { controller, app } = await renderConsoleTui();
    controller.execute(`connect ${server.url}?token=${SECRET}`);
    await waitFor(
      () => app.frames.some((frame) => frame.includes('after the reconnect')),
      'the event after the reconnect in the TUI',
      20_000,
    );
    await waitFor(() => app.frames.some((frame) => frame.includes('token=***')), 'the redacted URL');
    expectSafe(app.frames.join('\n'), 'TUI frames');
  }, 30_000);
});

describe('`proxy` shows a hostile app safely (the same corpus)', () => {
  /** The corpus app behind the proxy; a browser's stream through the proxy gets its first answer. */
  async function corpusThroughProxy(args: readonly string[] = []) {
    const server = await startCorpusServer(cleanup);
    const proc = await startConsoleProcess(args, { cleanup, subcommand: ['proxy', `http://127.0.0.1:${server.port}`] });
    const stream = openStream(proc.ssePort, { path: '/events', cleanup });
    await stream.until(
      (client) => client.events.some((event) => event.data === 'last'),
      'the last event at the browser',
    );
    return { proc, stream };
  }

  it('--json: every line valid, nothing unsafe raw, every name and data exact; the browser gets the bytes unchanged', async () => {
    const { proc, stream } = await corpusThroughProxy();
    await proc.waitForLog((line) => line.type === 'proxy-event' && line['data'] === 'last', 'the last event line');
    expect(proc.otherOutput).toEqual([]);
    expectSafe(proc.rawStdout(), 'proxy --json output');
    const events = proc.logs.filter((line) => line.type === 'proxy-event');
    expect(events.slice(0, HOSTILE_TEXTS.length).map((line) => line['event'])).toEqual(HOSTILE_TEXTS);
    expect(events.map((line) => line['data'])).toEqual([
      ...HOSTILE_TEXTS.map((text, index) => `${text}\n#${index}`),
      'last',
    ]);
    expect(stream.events.slice(0, HOSTILE_TEXTS.length).map((event) => event.event)).toEqual(HOSTILE_TEXTS);
    // The reason phrase (OSC 52, OSC 0, clear screen) was not passed on; the warning shows it escaped.
    const warning = await proc.waitForLog(
      (line) => line.type === 'proxy-stream-warning' && line['message'].includes('reason phrase'),
      'the reason phrase warning',
    );
    expect(warning['message']).toContain('OK \\x1b]52;c;cHduZWQ=\\x07');
    expect(crashSigns(proc).filter((sign) => !sign.startsWith('error log'))).toEqual([]);
  }, 30_000);

  it('human line mode: nothing unsafe raw, what was escaped is shown', async () => {
    const server = await startCorpusServer(cleanup);
    const child = spawn(
      process.execPath,
      [BINARY, 'proxy', `http://127.0.0.1:${server.port}`, '--no-tui', '--sse-port', '0'],
      {
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    cleanup(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    await waitFor(() => /proxy on http:\/\/127\.0\.0\.1:\d+\//.test(output), 'the proxy line');
    const port = Number(/proxy on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1]);
    openStream(port, { path: '/events', cleanup });
    await waitFor(() => output.includes('"last"'), 'the last event in line mode', 20_000);
    expectSafe(output, 'proxy line mode output');
    expect(output).toContain('tick\\u{202e}');
  }, 30_000);

  it('TUI: no frame holds anything unsafe raw', async () => {
    const server = await startCorpusServer(cleanup);
    const view: { controller?: ProxyController } = {};
    const proxy = createProxy({
      upstream: new URL(`http://127.0.0.1:${server.port}/`),
      report: (report) => view.controller?.observe(report),
    });
    const proxyServer = await startProxyServer(0, proxy);
    const controller = createProxyController({
      proxy,
      proxyUrl: proxyServer.url,
      upstreamUrl: `http://127.0.0.1:${server.port}/`,
      stopServers: () => proxyServer.stop(),
    });
    view.controller = controller;
    const app = render(<App controller={controller} colors={false} frameMs={10} onForceQuit={() => undefined} />);
    cleanup(async () => {
      app.unmount();
      app.cleanup();
      await controller.dispose();
    });
    openStream(proxyServer.port, { path: '/events', cleanup });
    await waitFor(() => app.frames.some((frame) => frame.includes('"last"')), 'the last event in the TUI', 20_000);
    expectSafe(app.frames.join('\n'), 'proxy TUI frames');
  }, 30_000);
});

describe('a huge server-chosen field never takes the console down', () => {
  const hugeServer = (cleanupTask: Cleanup, size: number): Promise<HostileServer> =>
    startHostileServer(
      () => ({
        body: async (socket) => {
          // One event with `size` bytes of control characters as data, a name, an id
          // and an unknown field of 256 KiB each, then a small event.
          const big = '\u0001'.repeat(256 * 1024);
          socket.write(`event: ${big}\nid: ${big}\n${big}: x\ndata: `);
          await writeMany(socket, 0x1b, size);
          socket.write('\n\ndata: small after huge\n\n');
        },
      }),
      cleanupTask,
    );

  it('`connect`: a 70 MB event of ESC bytes is cut, then escaped, and the command goes on', async () => {
    const server = await hugeServer(cleanup, 70 * 1024 * 1024);
    // The client's per-event buffer (4 MiB by default) is raised so that the 70 MB event
    // reaches the printer: what is tested here is the cut before the escape.
    const run = startConnect([server.url, '--max-buffer', '128MiB', '--max-events', '2', '--timeout', '60s'], cleanup);
    const exit = await run.exited;
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toBe('');
    expect(run.stdout()).toContain('small after huge');
    expectSafe(run.stdout(), 'connect output');
    // Cut to the display budget: far less than the 70 MB (× 4 escaped) that arrived.
    expect(run.stdoutChars()).toBeLessThan(2 * 1024 * 1024);
    expect(run.stdout()).toMatch(/more characters\)/);
  }, 90_000);

  it('line mode: a 3 MiB event, 256 KiB names, ids and field lines are cut in every line', async () => {
    // Just under the client's 4 MiB buffer for one event (a larger one is dropped and
    // reported by the client, see test/core/client/browser-faithful.test.ts).
    const server = await hugeServer(cleanup, 3 * 1024 * 1024);
    const proc = await startConsoleProcess([], { cleanup });
    proc.type(`connect ${server.url}`);
    await proc.waitForLog(
      (line) => line.type === 'remote-event' && line['data'] === 'small after huge',
      'the small event',
      60_000,
    );
    expect(crashSigns(proc).filter((sign) => !sign.startsWith('error log'))).toEqual([]);
    const longest = Math.max(...proc.logs.map((line) => (line.text ?? '').length));
    expect(longest).toBeLessThan(4096);
    proc.type('jobs');
    await proc.waitForLog(
      (line) => line.type === 'output' && line.text.startsWith('no jobs'),
      'the answer to a command',
    );
  }, 90_000);

  it('proxy line mode: a 3 MiB event, 256 KiB names, ids and field lines are cut in every line', async () => {
    const server = await hugeServer(cleanup, 3 * 1024 * 1024);
    const proc = await startConsoleProcess([], { cleanup, subcommand: ['proxy', `http://127.0.0.1:${server.port}`] });
    openStream(proc.ssePort, { path: '/events', keepEvents: false, cleanup });
    await proc.waitForLog(
      (line) => line.type === 'proxy-event' && line['data'] === 'small after huge',
      'the small event',
      60_000,
    );
    expect(crashSigns(proc).filter((sign) => !sign.startsWith('error log'))).toEqual([]);
    const longest = Math.max(...proc.logs.map((line) => (line.text ?? '').length));
    expect(longest).toBeLessThan(4096);
    proc.type('conns');
    await proc.waitForLog((line) => line.type === 'command' && line.text === 'conns', 'the command');
    expect(proc.exit).toBeUndefined();
  }, 90_000);

  it('TUI: 256 KiB names, ids and field lines are cut; the prompt still answers', async () => {
    const server = await hugeServer(cleanup, 1024 * 1024);
    const { controller, app } = await renderConsoleTui();
    controller.execute(`connect ${server.url}`);
    await waitFor(() => controller.snapshot().remote?.events === 2, "both events at the TUI's client", 30_000);
    controller.execute('jobs');
    await waitFor(() => app.frames.some((frame) => frame.includes('no jobs')), 'the answer to a command');
    // Ink wraps every line to the width, so the size of a whole frame is what was laid out.
    const largestFrame = Math.max(...app.frames.map((frame) => frame.length));
    expect(largestFrame).toBeLessThan(64 * 1024);
    expectSafe(app.frames.join('\n'), 'TUI frames');
  }, 60_000);
});

describe('remote-controlled lines of every kind are budgeted', () => {
  const UNKNOWN_FIELDS = 20_000;
  const floodServer = (cleanupTask: Cleanup): Promise<HostileServer> =>
    startHostileServer(
      () => ({
        body: (socket) => {
          socket.write(`${Array.from({ length: UNKNOWN_FIELDS }, (_, i) => `x${i}: unknown`).join('\n')}\n`);
          socket.write('data: after the flood\n\n');
        },
      }),
      cleanupTask,
    );

  it('line mode: 20,000 ignored-field warnings from a server become a few lines and a summary', async () => {
    const server = await floodServer(cleanup);
    const proc = await startConsoleProcess([], { cleanup });
    proc.type(`connect ${server.url}`);
    // The event after the flood marks that the console has read all of it: written,
    // or counted in a summary (kind `remote`) when the budget held it back.
    await proc.waitForLog(
      (line) =>
        (line.type === 'remote-event' && line['data'] === 'after the flood') ||
        (line.type === 'skipped' && (line['counts'] as Record<string, number>)['remote'] !== undefined),
      'the event after the flood, written or counted',
      40_000,
    );
    await proc.waitForLog((line) => line.type === 'skipped', 'the summary of lines not shown', 5000);
    expect(proc.count('remote-ignored')).toBeLessThan(1000);
    proc.type('conns');
    await proc.waitForLog((line) => line.type === 'command' && line.text === 'conns', 'the command');
  }, 60_000);

  it('TUI: the same flood shows a few lines and a summary', async () => {
    const server = await floodServer(cleanup);
    const { controller, app } = await renderConsoleTui();
    controller.execute(`connect ${server.url}`);
    await waitFor(
      () => controller.snapshot().remote?.events === 1,
      "the event after the flood at the TUI's client",
      40_000,
    );
    await waitFor(
      () => app.frames.some((frame) => frame.includes('log lines not shown')),
      'the summary of lines not shown',
      20_000,
    );
    const shown = new Set(
      app.frames.flatMap((frame) => frame.split('\n').filter((line) => line.includes('ignored unknown field'))),
    );
    expect(shown.size).toBeLessThan(1000);
  }, 60_000);
});
