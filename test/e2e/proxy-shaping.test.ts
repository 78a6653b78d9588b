import type { ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ConsoleProcess, LogLine } from '../support/console-process.js';
import { waitUntil } from '../support/wait.js';
import { waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { startLocalServer } from './support/http-server.js';

// What a page sees through the proxy's infrastructure faults: buffer, idle-cut, limit.

const suite = useBrowserSuite();

/*
A page that records what its EventSources see: each message with the time it came,
each open and each error. `window.streams(n)` opens n more; `window.stop(i)` closes one.
*/
const page = `<!doctype html>
<meta charset="utf-8">
<title>shaping</title>
<script>
window.seen = { messages: [], opens: 0, errors: 0, states: [] };
window.sources = [];
window.streams = (n) => {
  for (let i = 0; i < n; i++) {
    const source = new EventSource('/events');
    source.onopen = () => { window.seen.opens += 1; };
    source.onerror = () => { window.seen.errors += 1; };
    source.onmessage = (event) => window.seen.messages.push({ data: event.data, at: performance.now() });
    window.sources.push(source);
  }
};
window.stop = (i) => window.sources[i].close();
window.states = () => window.sources.map((source) => source.readyState);
</script>
`;

interface Seen {
  messages: { data: string; at: number }[];
  opens: number;
  errors: number;
}

const seenIn = (tab: Page): Promise<Seen> => tab.evaluate(() => (globalThis as unknown as { seen: Seen }).seen);
const statesIn = (tab: Page): Promise<number[]> =>
  tab.evaluate(() => (globalThis as unknown as { states: () => number[] }).states());

/** An app whose /events streams the test writes to (nothing on its own: quiet unless told). */
async function startQuietApp() {
  const streams: ServerResponse[] = [];
  let requests = 0;
  const server = await startLocalServer((req, res) => {
    if (req.url === '/events') {
      requests += 1;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 200\n\n');
      streams.push(res);
      res.on('close', () => streams.splice(streams.indexOf(res), 1));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  suite.onCleanup(() => server.close());
  return {
    server,
    streams,
    requests: () => requests,
    send: (data: string) => {
      for (const res of streams) res.write(`data: ${data}\n\n`);
    },
  };
}

async function openThroughProxy(command: string) {
  const app = await startQuietApp();
  const running = await suite.startConsole([], { subcommand: ['proxy', `${app.server.origin}/`] });
  const before = running.records.length;
  running.send(command);
  await running.waitForRecord(command, (r) => r.type === 'proxy-fault', { since: before });
  const context = await suite.newContext();
  const tab = await context.newPage();
  await tab.goto(running.sseUrl);
  return { app, running, tab };
}

/**
Asks the proxy process `conns` until its answer passes `done`: each answer is what
the proxy holds at that moment, in its own records. `last` is the record type that
ends the answer (the last stream's `proxy-conn` row, or `proxy-limit` while limit is on).
*/
async function askProxyUntil(
  running: ConsoleProcess,
  what: string,
  last: 'proxy-conn' | 'proxy-limit',
  done: (answer: readonly LogLine[]) => boolean,
): Promise<readonly LogLine[]> {
  return waitUntil({
    what,
    probe: async () => {
      const before = running.records.length;
      running.send('conns');
      await running.waitForRecord(`the ${last} line of conns`, (r) => r.type === last, { since: before });
      return running.records.slice(before);
    },
    done,
  });
}

/** Bytes `buffer` (or pause, delay) holds in the proxy's one stream, as its `conns` row says. */
const heldIn = (answer: readonly LogLine[]): unknown => answer.find((r) => r.type === 'proxy-conn')?.heldBytes;

describe('sse-console proxy faults, as Chromium sees them', () => {
  it('buffer: the page gets nothing until enough bytes gathered, then the events in one burst', async () => {
    const { app, running, tab } = await openThroughProxy('buffer 60');
    await tab.evaluate(() => (globalThis as unknown as { streams: (n: number) => void }).streams(1));
    await waitForPage(tab, 'the stream open', seenIn, (seen) => seen.opens === 1);
    // "data: event N\n\n" is 15 bytes: three are held (with the retry line's 12), the fourth passes 60.
    for (const n of [1, 2, 3]) {
      app.send(`event ${n}`);
      const held = 12 + 15 * n;
      await askProxyUntil(running, `${held} bytes held by buffer`, 'proxy-conn', (answer) => heldIn(answer) === held);
      // The proxy holds every byte the app sent: none is on its way to the page.
      expect((await seenIn(tab)).messages).toEqual([]);
    }
    app.send('event 4');
    const seen = await waitForPage(tab, 'the burst', seenIn, (s) => s.messages.length === 4);
    expect(seen.messages.map((m) => m.data)).toEqual(['event 1', 'event 2', 'event 3', 'event 4']);
    const times = seen.messages.map((m) => m.at);
    // Sent apart (each held in the proxy before the next went), they reach the page together.
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(50);
  });

  it("idle-cut: a quiet stream is cut and the page's EventSource reconnects", async () => {
    const { app, tab } = await openThroughProxy('idle-cut 500ms');
    await tab.evaluate(() => (globalThis as unknown as { streams: (n: number) => void }).streams(1));
    const seen = await waitForPage(tab, 'a reconnection', seenIn, (s) => s.opens >= 2, 10_000);
    expect(seen.errors).toBeGreaterThanOrEqual(1);
    expect(app.requests()).toBeGreaterThanOrEqual(2);
  });

  it('limit: a stream past the limit stays connecting until one closes, then opens', async () => {
    const { app, running, tab } = await openThroughProxy('limit 1');
    await tab.evaluate(() => (globalThis as unknown as { streams: (n: number) => void }).streams(2));
    await waitForPage(tab, 'one stream open', seenIn, (s) => s.opens === 1);
    // The proxy holds the second request with no answer: it has not gone upstream, the page waits.
    await askProxyUntil(running, 'a stream request held by limit', 'proxy-limit', (answer) =>
      answer.some((r) => r.type === 'proxy-limit' && r.waiting === 1),
    );
    expect(await statesIn(tab)).toEqual([1, 0]);
    expect((await seenIn(tab)).opens).toBe(1);
    expect(app.requests()).toBe(1);
    await tab.evaluate(() => (globalThis as unknown as { stop: (i: number) => void }).stop(0));
    await waitForPage(tab, 'the second stream open', statesIn, (states) => states[1] === 1);
    expect(app.requests()).toBe(2);
  });

  it('gzip: the page gets no event while the compressor holds them, all of them when the stream ends', async () => {
    const { app, running, tab } = await openThroughProxy('gzip');
    await tab.evaluate(() => (globalThis as unknown as { streams: (n: number) => void }).streams(1));
    await waitForPage(tab, 'the stream open', seenIn, (s) => s.opens === 1);
    const before = running.records.length;
    for (const n of [1, 2, 3]) app.send(`zipped ${n}`);
    // The proxy logs an event once it wrote it (into the compressor, which does not flush):
    // from there nothing of it is on its way to the page.
    await running.waitForRecord('the third event written', (r) => r.type === 'proxy-event' && r.data === 'zipped 3', {
      since: before,
    });
    expect(running.recordsOfType('proxy-event', before).map((r) => r.data)).toEqual([
      'zipped 1',
      'zipped 2',
      'zipped 3',
    ]);
    expect((await seenIn(tab)).messages).toEqual([]);
    for (const res of [...app.streams]) res.end();
    const seen = await waitForPage(tab, 'the events at the end', seenIn, (s) => s.messages.length === 3);
    expect(seen.messages.map((m) => m.data)).toEqual(['zipped 1', 'zipped 2', 'zipped 3']);
  });

  it('rechunk: EventSource takes characters split across reads and CR LF split apart as one event each', async () => {
    const { app, running, tab } = await openThroughProxy('rechunk utf8');
    await tab.evaluate(() => (globalThis as unknown as { streams: (n: number) => void }).streams(1));
    await waitForPage(tab, 'the stream open', seenIn, (s) => s.opens === 1);
    app.send('café € 😀');
    await waitForPage(tab, 'the split characters', seenIn, (s) => s.messages.length === 1);
    const before = running.records.length;
    running.send('rechunk crlf');
    await running.waitForRecord('rechunk crlf', (r) => r.type === 'proxy-fault', { since: before });
    for (const res of app.streams) res.write('data: one\r\n\r\ndata: two\r\n\r\n');
    const seen = await waitForPage(tab, 'the CR LF events', seenIn, (s) => s.messages.length === 3);
    expect(seen.messages.map((m) => m.data)).toEqual(['café € 😀', 'one', 'two']);
  });
});
