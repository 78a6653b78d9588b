/**
Chromium judges the shared framed chunk (issue 26): a burst sent in one tick is framed
once and that one buffer is written straight to every HTTP/1.1 socket (see
core/stream/write-batch.ts, direct-socket.ts). A raw socket on the same stream shows
the burst arrived as one chunk, and Chromium's EventSource, on the same bytes, must
dispatch exactly the events sent, then a later tick, then see the stream end.
*/
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSse } from '../../core/index.js';
import { openRawStream } from '../core/stream/support.js';
import { useCleanup, waitUntil } from '../support/wait.js';
import { launchChromium } from './support/browser.js';

const cleanup = useCleanup();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

/** The page: one EventSource on /events; each event as `type|lastEventId|data` (JSON), and the errors. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>shared chunk</title>
<script>
  globalThis.seen = [];
  globalThis.errors = 0;
  const source = new EventSource('/events');
  const record = (event) => globalThis.seen.push(JSON.stringify([event.type, event.lastEventId, event.data]));
  source.onmessage = record;
  source.addEventListener('named', record);
  source.onerror = () => { globalThis.errors += 1; };
</script>`;

describe('the shared framed chunk, in Chromium', () => {
  it('dispatches every event of a coalesced burst, in order, from the one chunk every socket got', async () => {
    const sse = createSse({ heartbeatMs: 0, retryMs: 60_000 });
    const server = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(PAGE);
      } else if (req.url === '/events') {
        void sse.handle(req, res);
      } else {
        res.writeHead(404).end(); // the favicon
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(
      () =>
        new Promise<void>((resolve) => {
          sse.stop();
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;

    const context = await browser.newContext();
    cleanup(() => context.close());
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const raw = openRawStream(port, { path: '/events', cleanup });
    await waitUntil({ what: 'Chromium and the raw client', probe: () => sse.connections.length, done: (n) => n === 2 });

    // One tick: stored and unstored events, a named one, multi-line and non-ASCII data, a comment.
    sse.sendNewEvent({ data: 'one', id: true });
    sse.sendNewEvent({ data: 'two\nlines', event: 'named' });
    sse.sendComment('between');
    sse.sendNewEvent({ data: 'é ✓ 𝄞', id: true });
    sse.sendNewEvent({ data: '' });
    sse.sendNewEvent({ data: { json: [1, 2] } });
    const burst = [
      ['message', '1', 'one'],
      ['named', '1', 'two\nlines'],
      ['message', '2', 'é ✓ 𝄞'],
      ['message', '2', ''],
      ['message', '2', '{"json":[1,2]}'],
    ].map((entry) => JSON.stringify(entry));

    await raw.until((s) => s.events.length === 5, 'the raw client to get the burst');
    // The opening chunk (the retry time), then the whole burst as one chunk.
    expect(raw.chunks.map((bytes) => bytes.toString()).slice(0, 1)).toEqual(['retry: 60000\n\n']);
    expect(raw.chunks).toHaveLength(2);
    expect(raw.chunks[1]?.toString()).toBe(
      'id: 1\ndata: one\n\nevent: named\ndata: two\ndata: lines\n\n: between\n\n' +
        'id: 2\ndata: é ✓ 𝄞\n\ndata:\n\ndata: {"json":[1,2]}\n\n',
    );
    const seen = (count: number, what: string): Promise<string[]> =>
      waitUntil({
        what,
        probe: () => page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen.slice()),
        done: (list) => list.length >= count,
      });
    expect(await seen(5, 'Chromium to dispatch the burst')).toEqual(burst);

    sse.sendNewEvent({ data: 'later', id: true });
    expect(await seen(6, 'the next tick')).toEqual([...burst, JSON.stringify(['message', '3', 'later'])]);
    expect(raw.chunks.at(-1)?.toString()).toBe('id: 3\ndata: later\n\n');
    expect(await page.evaluate(() => (globalThis as unknown as { errors: number }).errors)).toBe(0);

    // close mid-burst: the events sent before it, then the last chunk; Chromium sees the end (an error, retrying).
    sse.sendNewEvent({ data: 'last' });
    sse.closeAll();
    expect(await seen(7, 'the last event')).toEqual([
      ...burst,
      JSON.stringify(['message', '3', 'later']),
      JSON.stringify(['message', '3', 'last']),
    ]);
    await waitUntil({
      what: 'Chromium to see the stream end',
      probe: () => page.evaluate(() => (globalThis as unknown as { errors: number }).errors),
      done: (errors) => errors === 1,
    });
    await raw.until((s) => s.ended, 'the raw client to see the last chunk');
  });
});
