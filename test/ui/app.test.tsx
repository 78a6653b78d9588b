import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleController } from '../../core/app/console/create-console-controller.js';
import type { ConsoleController } from '../../core/app/console/types.js';
import { startSseServer, type SseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import type { Sse } from '../../core/stream/types.js';
import { App, clearScreen } from '../../ui/app.js';
import { createPromptHistoryWriter } from '../../ui/prompt/prompt-history-writer.js';
import {
  frameText,
  keys,
  livePart,
  settle,
  typeAndWait,
  waitFor,
  waitForFrame,
  waitForInputReady,
  type RenderedApp,
} from './helpers.js';

const pagesUrl = 'http://127.0.0.1:8080/';

let sse: Sse;
let server: SseServer;
let controller: ConsoleController;
let app: RenderedApp | undefined;
let forcedQuits: number;
const clients: ClientRequest[] = [];
const tmpDirs: string[] = [];

beforeEach(async () => {
  sse = createSse({ heartbeatMs: 0 });
  server = await startSseServer(0, sse, { host: '127.0.0.1' });
  controller = createConsoleController({ sse, sseUrl: server.url, pagesUrl, stopServers: () => server.stop() });
  forcedQuits = 0;
});

afterEach(async () => {
  app?.unmount();
  app?.cleanup();
  app = undefined;
  for (const client of clients.splice(0)) client.destroy();
  await controller.dispose();
  await server.stop();
  sse.stop();
  for (const dir of tmpDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function renderApp(props: Partial<Parameters<typeof App>[0]> = {}): Promise<RenderedApp> {
  app = render(
    <App
      controller={controller}
      colors={false}
      frameMs={10}
      onForceQuit={() => {
        forcedQuits += 1;
      }}
      {...props}
    />,
  );
  // The prompt: an empty line shows just the marker (trailing spaces are trimmed).
  await waitForFrame(app, /^›/m);
  await waitForInputReady(app);
  return app;
}

/**
Whether any frame said "stopping…". Not only the last one: on exit Ink writes one more
frame, which in CI mode (the CI variable set) is empty.
*/
function showedStopping(rendered: RenderedApp): boolean {
  return rendered.frames.some((frame) => frame.includes('stopping…'));
}

/** Waits until Ink has exited: it stops reading stdin when it unmounts. */
async function waitForExit(rendered: RenderedApp): Promise<void> {
  await waitFor(() => rendered.stdin.listenerCount('readable') === 0, 'the app to exit');
}

/** Opens a stream request like a client would; resolves once the response headers arrive. */
function openStream(userAgent: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = request(new URL('events', server.url), {
      headers: { accept: 'text/event-stream', 'user-agent': userAgent },
    });
    clients.push(client);
    client.once('response', (response) => {
      response.resume();
      resolve(response);
    });
    client.once('error', reject);
    client.end();
  });
}

describe('App with a real controller and stream', () => {
  it('shows the stream and page URLs and empty panes', async () => {
    const rendered = await renderApp();
    const frame = frameText(rendered);
    expect(frame).toContain(`SSE ${server.url}`);
    expect(frame).toContain(`pages ${pagesUrl}`);
    expect(frame).toContain('0 connections');
    expect(frame).toContain('0 stored, next id 1');
    expect(frame).toContain('Connections (0)');
    expect(frame).toContain('Stored events (0, next id 1)');
  });

  it('sends an event typed at the prompt: history pane and log show it', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'send --data "Hello" --id', '› send --data "Hello" --id');
    const frame = await typeAndWait(rendered, keys.enter, /^ +1 +message +Hello/m);
    expect(livePart(frame)).toContain('1 stored, next id 2');
    const withLog = await waitForFrame(rendered, 'sent id 1 "Hello"');
    expect(withLog).toMatch(/\d\d:\d\d:\d\d › send --data "Hello" --id/);
    expect(sse.history.map((record) => record.data)).toEqual(['Hello']);
  });

  it('lists a real HTTP client in the connections pane', async () => {
    const rendered = await renderApp();
    const response = await openStream('curl/8.5.0');
    expect(response.statusCode).toBe(200);
    const frame = await waitForFrame(rendered, /^#1 +127\.0\.0\.1:\d+ +curl 8 +\/events/m);
    expect(livePart(frame)).toContain('1 connection ');
    expect(frame).toContain('Connections (1)');
  });

  it('answers a mistyped command with an error that suggests the right one', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'sendd', '› sendd');
    const frame = await typeAndWait(rendered, keys.enter, /did you mean/);
    expect(frame).toMatch(/did you mean .*send/);
  });

  it('opens help with ? on an empty line and closes it with Esc', async () => {
    const rendered = await renderApp();
    const help = await typeAndWait(rendered, '?', 'Keys at the prompt');
    expect(help).toContain('Commands');
    expect(help).not.toContain('Connections (');
    const closed = await typeAndWait(rendered, keys.escape, 'Connections (0)');
    expect(closed).not.toContain('Keys at the prompt');
    // The prompt is back and `?` was not typed into it.
    expect(closed).toMatch(/^›$/m);
  });

  it('scrolls the help overlay', async () => {
    const rendered = await renderApp();
    const first = await typeAndWait(rendered, '?', /lines 1–\d+ of \d+/);
    const scrolled = await typeAndWait(rendered, keys.down, /lines 2–\d+ of \d+/);
    expect(scrolled).not.toBe(first);
    await typeAndWait(rendered, keys.pageDown, (frame) => !/lines [12]–/.test(frame));
    await typeAndWait(rendered, 'q', 'Connections (0)');
  });

  it('types ? into a line that is not empty', async () => {
    const rendered = await renderApp();
    const frame = await typeAndWait(rendered, ['help', '?'], '› help?');
    expect(frame).not.toContain('Keys at the prompt');
  });

  it('completes `se` to `send ` with Tab', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'se', '› se');
    await typeAndWait(rendered, keys.tab, /^› send$/m);
    // The completed word is followed by a space.
    await typeAndWait(rendered, '--id', /^› send --id$/m);
  });

  it('lists several completions in a hint', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'send --', '› send --');
    const frame = await typeAndWait(rendered, keys.tab, /--data .*--id/);
    expect(frame).toMatch(/› send --/);
  });

  it('walks back through earlier lines with ↑ and forward with ↓', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, ['raw on', keys.enter], 'raw on: each send');
    await typeAndWait(rendered, ['conns', keys.enter], /\d\d:\d\d:\d\d › conns/);
    await typeAndWait(rendered, 'x', /^› x$/m);
    await typeAndWait(rendered, keys.up, /^› conns$/m);
    await typeAndWait(rendered, keys.up, /^› raw on$/m);
    await typeAndWait(rendered, keys.down, /^› conns$/m);
    await typeAndWait(rendered, keys.down, /^› x$/m);
  });

  it('edits with Ctrl+W, Ctrl+U, ← and Backspace', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'send --data abc', '› send --data abc');
    await typeAndWait(rendered, keys.ctrlW, /^› send --data$/m);
    await typeAndWait(rendered, [keys.left, keys.left, keys.backspace], /^› send --daa$/m);
    await typeAndWait(rendered, keys.ctrlU, /^› a$/m);
  });

  it('tells Backspace (erases before the cursor) from Delete (erases under it)', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'abcd', '› abcd');
    await typeAndWait(rendered, [keys.left, keys.left], '› abcd');
    await typeAndWait(rendered, keys.delete, /^› abd$/m);
    await typeAndWait(rendered, keys.backspace, /^› ad$/m);
  });

  it('says how to start on the first screen, then keeps the last answer and the tour step above the prompt', async () => {
    const rendered = await renderApp();
    expect(livePart(frameText(rendered))).toContain('? help · tour · open');
    const error = await typeAndWait(rendered, ['sendd', keys.enter], /^› sendd → unknown command "sendd"/m);
    expect(livePart(error)).toMatch(/^› sendd → unknown command/m);
    // At 100 columns the step's instruction (a URL to open) gets a row of its own rather than being cut.
    const tour = await typeAndWait(
      rendered,
      ['tour', keys.enter],
      /^tour 1\/6: Open the demo page\n {2}Open http:\/\/127\.0\.0\.1:\d+\/textarea in a browser tab \(or type `open`\)\.$/m,
    );
    expect(livePart(tour)).toMatch(/^› tour → \d+ lines in the log above$/m);
    expect(livePart(tour)).not.toContain('? help · tour');
    await typeAndWait(
      rendered,
      ['tour stop', keys.enter],
      (frame) => !/^tour 1\/6/m.test(livePart(frame)) && /^› tour stop → tour stopped/m.test(frame),
    );
  });

  it('handles every control key that arrives in one read', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'send --data one two three', '› send --data one two three');
    // Three Backspaces, then two Ctrl+W, each chunk written at once.
    await typeAndWait(rendered, keys.backspace.repeat(3), /^› send --data one two th$/m);
    await typeAndWait(rendered, keys.ctrlW.repeat(2), /^› send --data one\s*$/m);
    // Ctrl+A, then text, Ctrl+E and Ctrl+U in the same read.
    await typeAndWait(rendered, `\u0001x\u0005${keys.ctrlU}`, /^›$/m);
    expect(frameText(rendered)).not.toMatch(/\\x|\u0015|\u0017/);
  });

  it('runs each line of a paste that holds line breaks', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, 'send --data one --id\rsend --data two --id\r', /^ +2 +message +two/m);
    expect(sse.history.map((record) => record.data)).toEqual(['one', 'two']);
  });

  it('shows "stopping…" on Ctrl+C, then exits without forcing', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, keys.ctrlC, () => showedStopping(rendered));
    await waitForExit(rendered);
    expect(forcedQuits).toBe(0);
  });

  it('stops a running lesson script on Ctrl+C instead of quitting; the next Ctrl+C quits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sse-app-script-'));
    tmpDirs.push(dir);
    const file = join(dir, 'lesson.txt');
    await writeFile(file, '# first step\nsleep 1h\nsend never\n');
    const rendered = await renderApp();
    await typeAndWait(rendered, [`source ${file}`, keys.enter], /first step/);
    await typeAndWait(rendered, keys.ctrlC, /stopped at line 2/);
    expect(showedStopping(rendered)).toBe(false);
    await typeAndWait(rendered, keys.ctrlC, () => showedStopping(rendered));
    await waitForExit(rendered);
    expect(forcedQuits).toBe(0);
  });

  it('quits when the `quit` command runs', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, ['quit', keys.enter], () => showedStopping(rendered));
    await waitForExit(rendered);
  });

  it('clears the screen on `clear`', async () => {
    const rendered = await renderApp();
    await typeAndWait(rendered, ['clear', keys.enter], () =>
      rendered.frames.some((frame) => frame.startsWith(clearScreen)),
    );
  });

  it('keeps a flood of events to a bounded log and stays current', async () => {
    const rendered = await renderApp();
    for (let index = 1; index <= 3000; index += 1) sse.sendNewEvent({ data: `flood ${index}`, id: true });
    const frame = await waitForFrame(rendered, /^ +3000 +message +flood 3000/m, 10_000);
    const summary = await waitForFrame(rendered, /… \d+ log lines not shown \(send \d+\)/, 10_000);
    const shownSends = (summary.match(/sent id \d+/g) ?? []).length;
    expect(shownSends).toBeLessThan(3000);
    // The stream keeps its newest 1000 events (the default history limit).
    expect(livePart(frame)).toContain('1000 stored, next id 3001');
  });

  it('saves submitted lines to the prompt-history file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sse-console-app-'));
    tmpDirs.push(dir);
    const file = join(dir, 'state', 'prompt-history');
    const writer = createPromptHistoryWriter(file, (text) => controller.log('warn', text));
    const rendered = await renderApp({ rememberLine: writer.remember, initialHistory: ['jobs'] });
    await typeAndWait(rendered, ['conns', keys.enter], /\d\d:\d\d:\d\d › conns/);
    await writer.flush();
    expect(await readFile(file, 'utf8')).toBe('conns\n');
    await typeAndWait(rendered, [keys.up, keys.up], /^› jobs$/m);
  });

  it('writes log lines once: earlier lines stay above the live part', async () => {
    // A plain (non-debug, non-interactive) Ink render writes each <Static> line to the
    // terminal once, as it appears, and the live part only at the end: what reaches
    // this stream is exactly what scrolls into a terminal's history.
    const chunks: string[] = [];
    const stdout = new PassThrough() as PassThrough & { columns: number; rows: number };
    stdout.columns = 100;
    stdout.rows = 40;
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    // A terminal's stdin as Ink uses it: raw mode can be set, bytes are read on demand.
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: () => stdin,
      ref: () => stdin,
      unref: () => stdin,
    });
    const instance = inkRender(<App controller={controller} colors={false} frameMs={10} />, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      interactive: false,
      patchConsole: false,
      exitOnCtrlC: false,
    });
    const written = (): string => chunks.join('');
    controller.execute('send --data first');
    await waitFor(() => written().includes('sent "first"'), 'the first log line');
    controller.execute('send --data second');
    await waitFor(() => written().includes('sent "second"'), 'the second log line');
    instance.unmount();
    await settle();
    const all = written();
    // As log rows (after their time); the live part's last-answer row quotes the answer too.
    expect(all.match(/\d\d:\d\d:\d\d sent "first"/g)).toHaveLength(1);
    expect(all.match(/\d\d:\d\d:\d\d sent "second"/g)).toHaveLength(1);
    expect(all.indexOf('sent "first"')).toBeLessThan(all.indexOf('sent "second"'));
    expect(all.indexOf('sent "second"')).toBeLessThan(all.lastIndexOf('SSE http'));
  });
});
