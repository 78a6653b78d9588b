import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createConsoleController } from '../../../../core/app/console/create-console-controller.js';
import { createSse } from '../../../../core/stream/create-sse.js';
import { startConsole, type RunningConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { fetchOnce, openEventSource, openRawStream, useCleanup, waitFor } from '../../stream/support.js';

const cleanup = useCleanup();

interface Harness {
  readonly running: RunningConsole;
  readonly log: LogEntry[];
  readonly ssePort: number;
  /** Runs a line and waits until a log entry after it matches. */
  run(line: string, until?: (entry: LogEntry) => boolean): Promise<LogEntry[]>;
  texts(kind?: LogEntry['kind']): string[];
}

async function startHarness(options: Parameters<typeof startConsole>[0] = {}): Promise<Harness> {
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0, ...options });
  cleanup(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => log.push(entry));
  const ssePort = Number(new URL(running.sseUrl).port);
  return {
    running,
    log,
    ssePort,
    async run(line, until) {
      const from = log.length;
      running.controller.execute(line);
      if (until) await waitFor(() => log.slice(from).some(until), `a log entry after \`${line}\``);
      return log.slice(from);
    },
    texts: (kind) => log.filter((entry) => kind === undefined || entry.kind === kind).map((entry) => entry.text),
  };
}

describe('console controller, end to end over real sockets', () => {
  it('turns typed commands into events that reach a real client, and logs each step', async () => {
    const h = await startHarness();
    const tab = openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => h.running.sse.connections.length === 1, 'the tab to connect');
    await h.run('send --data "Hello World!"');
    await waitFor(() => tab.data().includes('Hello World!'), 'the tab to receive the event');
    expect(h.texts('send').at(-1)).toBe('sent "Hello World!" to 1 connection (no id: not stored)');
    await h.run('send --data "Hello World! (again)" --id');
    expect(h.running.controller.snapshot().history.map((r) => r.data)).toEqual(['Hello World! (again)']);
    expect(h.running.controller.snapshot().nextId).toBe(2);
    const later = openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => later.data().length === 1, 'the later tab to get the replayed event');
    expect(later.data()).toEqual(['Hello World! (again)']);
    await waitFor(() => h.texts('replay').length === 1, 'the replay to be logged');
    expect(h.texts('replay')[0]).toMatch(/^#2 replayed 1 stored event \(id 1\)$/);
    expect(h.texts('command')).toEqual(['send --data "Hello World!"', 'send --data "Hello World! (again)" --id']);
  });

  it("marks what a typed line logs as its reply, and a job's own sends not", async () => {
    const h = await startHarness();
    const started = await h.run('every 10ms send --data tick');
    expect(started.every((entry) => entry.reply === true)).toBe(true);
    await waitFor(() => h.texts('send').length >= 2, 'the job to send');
    expect(h.log.filter((entry) => entry.kind === 'send').every((entry) => entry.reply === undefined)).toBe(true);
    const stopped = await h.run('stop all');
    expect(stopped.map((entry) => [entry.kind, entry.text, entry.reply])).toContainEqual([
      'job',
      'stopped 1 job',
      true,
    ]);
  });

  it('pauses and filters activity lines while delivery goes on; answers always show', async () => {
    const h = await startHarness();
    const tab = openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => h.running.sse.connections.length === 1, 'the tab to connect');
    await h.run('every 10ms send --data tick');
    await h.run('pause');
    const pausedAt = h.log.length;
    const received = tab.data().length;
    await waitFor(() => tab.data().length >= received + 5, 'the tab to keep receiving');
    expect(h.log.slice(pausedAt).filter((entry) => entry.kind === 'send')).toEqual([]);
    expect(h.running.controller.snapshot().logFilter).toBe('log paused (`resume`)');
    // A typed command and its answer still show while paused.
    expect((await h.run('jobs')).map((entry) => entry.kind)).toEqual(['command', 'output', 'output']);
    const resumed = await h.run('resume');
    expect(resumed.at(-1)?.text).toMatch(/^log resumed; \d+ activity lines were not shown while paused$/);
    expect(Number(/(\d+) activity/.exec(resumed.at(-1)?.text ?? '')?.[1])).toBeGreaterThanOrEqual(5);

    await h.run('filter connect');
    expect(h.running.controller.snapshot().logFilter).toBe('filter connect');
    const filteredAt = h.log.length;
    openEventSource(h.running.sseUrl, cleanup);
    await waitFor(
      () => h.log.slice(filteredAt).some((entry) => entry.kind === 'connect'),
      'the second tab to be logged',
    );
    await waitFor(() => tab.data().length >= received + 10, 'more ticks');
    expect(h.log.slice(filteredAt).filter((entry) => entry.kind === 'send')).toEqual([]);
    await h.run('filter off');
    await waitFor(() => h.texts('send').length > 0 && h.log.at(-1)?.kind === 'send', 'sends to be logged again');
    await h.run('stop all');
  });

  it('answers mistakes with one clear line and keeps running', async () => {
    const h = await startHarness();
    const out = await h.run('sendd --data x');
    expect(out.map((e) => e.kind)).toEqual(['command', 'error']);
    expect(out[1]?.text).toMatch(/unknown command "sendd" \(did you mean send\?\)/);
    await h.run('stop 9');
    expect(h.texts('error').at(-1)).toMatch(/no job 9/);
    await h.run('close 42');
    expect(h.texts('error').at(-1)).toMatch(/no connection #42/);
    await h.run('send --to 7 --data x');
    expect(h.texts('error').at(-1)).toMatch(/no connection #7/);
  });

  it('runs `every` jobs with placeholders, lists them and stops them', async () => {
    // Time is the subject: a fake clock (timers and performance.now) on a controller without listeners.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const sse = createSse({ heartbeatMs: 0 });
    const controller = createConsoleController({ sse, sseUrl: 'http://127.0.0.1:1/', pagesUrl: 'http://127.0.0.1:2/' });
    cleanup(async () => {
      vi.useRealTimers();
      await controller.dispose();
      sse.stop();
    });
    const output: string[] = [];
    controller.onLog((entry) => output.push(entry.text));
    controller.execute('every 20ms send --data "tick {n}" --id');
    await vi.advanceTimersByTimeAsync(59);
    expect(sse.history.map((r) => r.data)).toEqual(['tick 1', 'tick 2']);
    await vi.advanceTimersByTimeAsync(1);
    expect(sse.history.map((r) => r.data)).toEqual(['tick 1', 'tick 2', 'tick 3']);
    controller.execute('jobs');
    expect(output.some((line) => /^1\s+20ms\s+3\s+send --data "tick \{n\}" --id$/.test(line))).toBe(true);
    controller.execute('stop all');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sse.history).toHaveLength(3);
    expect(controller.snapshot().jobs).toEqual([]);
  });

  it('answers new connections as `respond` says, once or until reset', async () => {
    const h = await startHarness();
    await h.run('respond 401 --header "WWW-Authenticate: Bearer" --once');
    expect(h.running.controller.snapshot().respondPolicy).toBe('401 once +1 header (browsers fail the connection)');
    const refused = await fetchOnce(h.ssePort, { path: '/events' });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    // Used up by this request: neither its body nor its log line sends the user to `respond reset`.
    expect(refused.body).toBe(
      'sse-console answered 401 because of `respond 401 --once`; the next connection streams again.\n',
    );
    await waitFor(() => h.running.controller.snapshot().respondPolicy.startsWith('200'), 'the one-time policy to end');
    await waitFor(() => h.texts('refused').length === 1, 'the refusal line');
    expect(h.texts('refused')[0]).toMatch(/with 401: as `respond` asked, once \(new connections stream again\)$/);
    const stream = openRawStream(h.ssePort, { path: '/events', cleanup });
    await stream.until((s) => s.status !== undefined, 'a status');
    expect(stream.status).toBe(200);
    await h.run('respond 204');
    expect((await fetchOnce(h.ssePort)).status).toBe(204);
    expect((await fetchOnce(h.ssePort)).status).toBe(204);
    expect(h.texts('refused').length).toBe(3);
    await h.run('respond reset');
    expect(h.running.controller.snapshot().respondPolicy).toBe('200 (stream)');
  });

  it('shows the bytes of comments and heartbeats with `raw on`', async () => {
    const h = await startHarness({ heartbeatMs: 30 });
    const client = openRawStream(h.ssePort, { path: '/events', cleanup });
    await waitFor(() => h.running.sse.connections.length === 1, 'a connection');
    await h.run('raw on');
    await h.run('comment hello there', (e) => e.kind === 'raw');
    await waitFor(() => h.texts('raw').some((line) => line.trim() === ': heartbeat\\n'), 'a heartbeat in raw bytes');
    const raw = h.texts('raw').map((line) => line.trim());
    const at = raw.indexOf(': hello there\\n');
    expect(raw.slice(at, at + 2)).toEqual([': hello there\\n', '\\n']);
    expect(h.texts('comment')).toContainEqual(
      'heartbeat comment to 1 connection (keeps proxies from closing an idle stream)',
    );
    await h.run('raw off');
    const before = h.texts('comment').length;
    // Two more heartbeats reach the client, and neither is logged.
    const heartbeats = client.comments.length;
    await waitFor(() => client.comments.length >= heartbeats + 2, 'two heartbeats after `raw off`');
    expect(h.texts('comment').length).toBe(before);
  });

  it('uses up `respond … --once` on the stream request it answered, and only on that', async () => {
    const h = await startHarness();
    await h.run('respond 401 --once');
    // A POST is refused 405 by the stream itself: it does not use up the one-time answer.
    expect((await fetchOnce(h.ssePort, { method: 'POST', path: '/events' })).status).toBe(405);
    expect(h.running.controller.snapshot().respondPolicy).toBe('401 once (browsers fail the connection)');
    expect((await fetchOnce(h.ssePort, { path: '/events' })).status).toBe(401);
    expect(h.running.controller.snapshot().respondPolicy).toBe('200 (stream)');

    // A 200 with a header, once: the stream that got the header uses it up.
    await h.run('respond 200 --header X-Lesson:one --once');
    const first = openRawStream(h.ssePort, { path: '/events', cleanup });
    await first.until((s) => s.status !== undefined, 'the first status');
    expect(first.headers['x-lesson']).toBe('one');
    await waitFor(
      () => h.running.controller.snapshot().respondPolicy === '200 (stream)',
      'the one-time header to be used up',
    );
    expect(h.texts('info').at(-1)).toBe(
      'respond: the one-time answer (200 +1 header (stream)) was used; new connections stream again',
    );
    const second = openRawStream(h.ssePort, { path: '/events', cleanup });
    await second.until((s) => s.status !== undefined, 'the second status');
    expect(second.headers['x-lesson']).toBeUndefined();
  });

  it('warns that a redirect without Location fails in browsers, and that 1xx is no answer', async () => {
    const h = await startHarness();
    const redirect = await h.run('respond 307');
    expect(redirect.find((entry) => entry.kind === 'warn')?.text).toMatch(
      /307 without a Location header.*--header Location:/,
    );
    const followed = await h.run('respond 307 --header Location:/events?moved=1');
    expect(followed.some((entry) => entry.kind === 'warn')).toBe(false);
    expect(followed.at(-1)?.text).toMatch(/follow/);
    // A 1xx is no answer at all: refused when typed, with the valid range.
    const informational = await h.run('respond 101');
    expect(informational.find((entry) => entry.kind === 'error')?.text).toMatch(/1xx|101/);
  });

  it('hangs up connections with `close` and shows the exact bytes with `raw on`', async () => {
    const h = await startHarness();
    const stream = openRawStream(h.ssePort, { path: '/events', cleanup });
    await waitFor(() => h.running.sse.connections.length === 1, 'a connection');
    await h.run('raw on');
    await h.run('send --event greet --data "a\nb" --id', (e) => e.kind === 'raw');
    expect(h.texts('raw').map((line) => line.trim())).toEqual([
      'id: 1\\n',
      'event: greet\\n',
      'data: a\\n',
      'data: b\\n',
      '\\n',
    ]);
    await stream.until((s) => s.events.length === 1, 'the event');
    expect(stream.events[0]).toMatchObject({ id: '1', event: 'greet', data: 'a\nb' });
    await h.run('close all', (e) => e.kind === 'disconnect');
    expect(h.texts('disconnect').at(-1)).toMatch(/^#1 disconnected \(closed by the console\)/);
  });

  it('saves and loads the history with `history save|load`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-ctl-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'saved.jsonl');
    const h = await startHarness();
    await h.run('send --data one --id');
    await h.run('send --data two --id');
    await h.run(`history save ${file}`);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    await h.run('history clear');
    expect(h.running.sse.history).toEqual([]);
    await h.run(`history load ${file}`);
    expect(h.running.sse.history.map((r) => r.data)).toEqual(['one', 'two']);
    await h.run('history load /definitely/not/here.jsonl');
    expect(h.texts('error').at(-1)).toMatch(/no such file/);
  });

  it('keeps the replay log in --history-file and continues the ids after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-hf-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'history.jsonl');
    const first = await startHarness({ historyFile: file });
    await first.run('send --data one --id');
    await first.run('send --data two --id');
    await first.running.controller.dispose();
    const second = await startHarness({ historyFile: file });
    expect(second.running.notes.map((n) => n.text)).toContain(`restored 2 events from ${file}`);
    await second.run('send --data three --id');
    expect(second.running.sse.history.map((r) => [r.id, r.data])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
  });

  it('says how many events a restart restored when the history limit keeps fewer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-hf-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'history.jsonl');
    const first = await startHarness({ historyFile: file });
    for (const data of ['a', 'b', 'c', 'd', 'e']) await first.run(`send --data ${data} --id`);
    await first.running.controller.dispose();
    const second = await startHarness({ historyFile: file, historyLimit: 3 });
    expect(second.running.sse.history.map((r) => r.data)).toEqual(['c', 'd', 'e']);
    expect(second.running.notes.map((n) => n.text)).toContain(
      `restored 3 events from ${file} (the file holds 5; the history limit keeps the newest 3)`,
    );
  });

  it('words history save and load failures for people: no raw errno, one warning for a file that is no history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-console-hf-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const h = await startHarness();
    await h.run('send --data one --id');
    await h.run(`history save ${join(dir, 'no-such-folder', 'h.jsonl')}`);
    expect(h.texts('error').at(-1)).toBe(
      `could not save the history to ${join(dir, 'no-such-folder', 'h.jsonl')}: its folder does not exist`,
    );
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'line one\nline two\nline three\nline four\nline five\n');
    const loaded = await h.run(`history load ${notes}`);
    const warnings = loaded.filter((entry) => entry.kind === 'warn');
    expect(warnings).toHaveLength(1);
    const oneLine = join(dir, 'one-line.txt');
    writeFileSync(oneLine, 'just a note\n');
    const loadedOne = await h.run(`history load ${oneLine}`);
    expect(loadedOne.find((entry) => entry.kind === 'warn')?.text).toMatch(
      new RegExp(
        `^${oneLine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a history file: its one line is not a stored event \\(\`history save FILE\` writes one\\); line 1: `,
      ),
    );
    expect(warnings[0]?.text).toMatch(
      new RegExp(
        `^${notes.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a history file: none of its 5 lines is a stored event`,
      ),
    );
    // The history was left as it was.
    expect(h.running.sse.history.map((r) => r.data)).toEqual(['one']);
  });

  it("says `respond`, not the library hook, when a refusal was the user's `respond`", async () => {
    const h = await startHarness();
    await h.run('respond 401');
    await fetchOnce(h.ssePort, { path: '/events' });
    await waitFor(() => h.texts('refused').length === 1, 'the refusal');
    expect(h.texts('refused')[0]).toMatch(/with 401: as `respond` asked \(`respond reset` streams again\)$/);
    expect(h.texts('refused')[0]).not.toContain('onConnect');
    await h.run('respond reset');
  });

  it('points out a browser tab opened on the stream URL itself (Accept: text/html)', async () => {
    const h = await startHarness();
    openRawStream(h.ssePort, {
      path: '/events',
      headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      cleanup,
    });
    await waitFor(() => h.texts('warn').some((text) => text.includes('stream URL itself')), 'the note');
    expect(h.texts('warn').find((text) => text.includes('stream URL itself'))).toMatch(
      /^#1 is a browser tab opened on the stream URL itself \(Accept: text\/html/,
    );
    openRawStream(h.ssePort, { path: '/events', headers: { Accept: 'text/event-stream' }, cleanup });
    await waitFor(() => h.running.sse.connections.length === 2, 'the EventSource-like client');
    expect(h.texts('warn').filter((text) => text.includes('stream URL itself'))).toHaveLength(1);
  });

  it('close all says how many it closes before their disconnect lines', async () => {
    const h = await startHarness();
    for (let n = 0; n < 3; n += 1) openRawStream(h.ssePort, { path: '/events', cleanup });
    await waitFor(() => h.running.sse.connections.length === 3, 'three connections');
    const after = await h.run('close all', (e) => e.text.startsWith('#3 disconnected'));
    expect(
      after
        .filter((e) => e.kind === 'output' || e.kind === 'disconnect')
        .map((e) => e.text.replace(/\) after .*/, ')')),
    ).toEqual([
      'closing 3 connections (browsers reconnect after their retry time)',
      '#1 disconnected (closed by the console)',
      '#2 disconnected (closed by the console)',
      '#3 disconnected (closed by the console)',
    ]);
  });

  it('hands start-up entries to the first log listener', async () => {
    const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
    cleanup(() => running.controller.dispose());
    running.controller.log('info', 'before anyone listened');
    const seen: string[] = [];
    running.controller.onLog((entry) => seen.push(entry.text));
    expect(seen).toEqual(['before anyone listened']);
  });

  it('walks the tour as the steps happen', async () => {
    const h = await startHarness();
    await h.run('tour');
    expect(h.texts('info').join('\n')).toMatch(/Tour step 1\/6: Open the demo page/);
    openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => h.texts('info').some((t) => /Tour step 2\/6/.test(t)), 'step 2');
    await h.run('send --data "Hello World!"', (e) => /Tour step 3\/6/.test(e.text));
    await h.run('tour next');
    expect(h.texts('info').at(-2)).toMatch(/Tour step 4\/6/);
    await h.run('tour stop');
    expect(h.texts('info').at(-1)).toBe('tour stopped');
  });

  it('shows a remote stream in the log with `connect URL`', async () => {
    const h = await startHarness();
    await h.run('send --data "stored" --id');
    await h.run(`connect ${h.running.sseUrl}`, (e) => e.text.startsWith('remote event'));
    expect(h.texts('remote').find((t) => t.startsWith('remote event'))).toBe('remote event message id "1": stored');
    expect(h.running.controller.snapshot().remote).toMatchObject({ state: 'open', events: 1 });
    await h.run('disconnect');
    expect(h.running.controller.snapshot().remote).toBeUndefined();
  });

  it("`connect URL` shows each event's data in full up to the log's budget, counting the rest", async () => {
    const h = await startHarness();
    const chunk = {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { content: 'quick ' } }],
    };
    const long = 'x'.repeat(3000);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write(`data: ${JSON.stringify(chunk)}\n\ndata: ${long}\n\ndata: [DONE]\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat`;
    await h.run(`connect ${url}`, (e) => e.text.includes('[DONE]'));
    const events = h.texts('remote').filter((t) => t.startsWith('remote event'));
    expect(events[0]).toBe(`remote event message lastEventId "": ${JSON.stringify(chunk)}`);
    expect(events[0]).toContain('"content":"quick "');
    // 3000 characters do not fit one log line: cut at its budget, the rest counted.
    const cut = /^remote event message lastEventId "": (x+)\u2026 \((\d+) more characters\)$/.exec(events[1] ?? '');
    expect(cut).not.toBeNull();
    expect((cut?.[1]?.length ?? 0) + Number(cut?.[2])).toBe(3000);
    expect(cut?.[1]?.length).toBeGreaterThan(900);
    expect(events[2]).toBe('remote event message lastEventId "": [DONE]');
  });

  it('`connect URL` logs a block with only an id, which fires no event but moves the last event ID', async () => {
    const h = await startHarness();
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write('id: 1\ndata: one\n\nid: 9\n\nid:\n\ndata: two\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    await h.run(`connect ${url}`, (e) => e.text.includes('two'));
    expect(h.texts('remote').filter((t) => t.startsWith('remote event') || t.startsWith('remote id'))).toEqual([
      'remote event message id "1": one',
      'remote id "9" (a block with only an id: no event fires; the last event ID is now this id)',
      'remote id "" (a block with only an id: no event fires; the last event ID is cleared)',
      'remote event message lastEventId "": two',
    ]);
    expect(h.log.find((entry) => entry.fields?.type === 'remote-id')?.fields).toMatchObject({ id: '9' });
  });

  it('`connect URL -d` answered 400 with a JSON error logs the status and the body before the error', async () => {
    const h = await startHarness();
    const apiError = '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}';
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400, { 'Content-Type': 'application/json' }).end(apiError));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat`;
    await h.run(`connect ${url} -d '{"stream":true}'`, (e) => e.text.startsWith('remote closed'));
    const response = h.log.find((entry) => entry.fields?.type === 'remote-response');
    expect(response?.text).toBe(
      `remote response 400 Bad Request, application/json, ${apiError.length} bytes: ${apiError}`,
    );
    expect(response?.fields).toMatchObject({ status: 400, body: apiError, bodyOmitted: 0, bodyEnd: 'complete' });
    const error = h.log.findIndex((entry) => entry.kind === 'error' && entry.text.includes('fetch() resolves with it'));
    expect(error).toBeGreaterThan(h.log.indexOf(response!));
  });

  it('lists pages and refuses unknown ones', async () => {
    const h = await startHarness();
    await h.run('pages');
    expect(
      h.texts('output').some((line) => line.startsWith('textarea') && line.includes(`${h.running.pagesUrl}textarea`)),
    ).toBe(true);
    await h.run('open nowhere');
    expect(h.texts('error').at(-1)).toMatch(/no page "nowhere"; pages: index, textarea/);
  });

  it('`connect URL -d TEXT` streams a POST, says EventSource cannot make it, and does not reconnect', async () => {
    const h = await startHarness();
    const bodies: string[] = [];
    const post = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push(`${req.method ?? ''} ${Buffer.concat(chunks).toString('utf8')}`);
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.end('data: token one\n\ndata: token two\n\n');
      });
    });
    await new Promise<void>((resolve) => post.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise((resolve) => post.close(resolve)));
    const url = `http://127.0.0.1:${(post.address() as AddressInfo).port}/chat`;
    await h.run(`connect ${url} -d '{"prompt":"hi"}' -H "Content-Type: application/json"`, (e) =>
      e.text.startsWith('remote closed'),
    );
    expect(bodies).toEqual(['POST {"prompt":"hi"}']);
    expect(h.texts('warn').some((t) => t.includes("a browser's EventSource cannot make this request"))).toBe(true);
    expect(h.texts('remote').filter((t) => t.startsWith('remote event')).length).toBe(2);
    expect(h.texts('remote').at(-1)).toMatch(/^remote closed: the server ended the stream/);
  });

  it('`connect URL -d @FILE` refuses what is not a regular file, in one line', async () => {
    const h = await startHarness();
    await h.run('connect http://127.0.0.1:1/ -d @/dev/zero', (e) => e.kind === 'error');
    expect(h.texts('error').at(-1)).toMatch(/is not a regular file/);
  });
});
