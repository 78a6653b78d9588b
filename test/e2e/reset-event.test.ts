/**
`event: reset` as a browser meets it: Chromium's EventSource resumes with a
Last-Event-ID the stream has trimmed, gets the reset (a named event, with the empty
id that clears its last event id) before the events still held, and, once the
history is cleared, reconnects without the stale id.
*/
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSse, type SseLifecycleEvent } from '../../core/index.js';
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

/** The page: every message as `id|data`, every reset as `reset|lastEventId|data`. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>reset</title>
<ol id="events"></ol>
<script>
  const source = new EventSource('/events');
  const show = (text) => {
    const item = document.createElement('li');
    item.textContent = text;
    document.getElementById('events').append(item);
  };
  source.onmessage = (event) => show(event.lastEventId + '|' + event.data);
  source.addEventListener('reset', (event) => show('reset|' + event.lastEventId + '|' + event.data));
</script>`;

async function shown(page: Page): Promise<string[]> {
  return page.locator('#events li').allTextContents();
}

describe('event: reset in Chromium', () => {
  it('is dispatched before the held events when the cursor was trimmed, and clears the stale id', async () => {
    const sse = createSse({ historyLimit: 2, retryMs: 200, heartbeatMs: 0 });
    const lifecycle: SseLifecycleEvent[] = [];
    sse.subscribe((event) => lifecycle.push(event));
    const server: Server = createServer((req, res) => {
      if (req.url?.startsWith('/events') === true) void sse.handle(req, res);
      else res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup(async () => {
      sse.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as AddressInfo;

    sse.sendNewEvent({ data: 'one', id: true });
    sse.sendNewEvent({ data: 'two', id: true });
    const context = await browser.newContext();
    cleanup(() => context.close());
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const see = (count: number, what: string): Promise<string[]> =>
      waitUntil({ what, probe: () => shown(page), done: (seen) => seen.length >= count });
    expect(await see(2, 'the replay')).toEqual(['1|one', '2|two']);

    // While the tab waits its retry, three events are stored: 3 leaves the log.
    sse.closeAll();
    for (const data of ['three', 'four', 'five']) sse.sendNewEvent({ data, id: true });
    expect((await see(5, 'the reset and the held events')).slice(2)).toEqual([
      'reset||{"reason":"trimmed","oldestId":4}',
      '4|four',
      '5|five',
    ]);
    expect(sse.connections[0]?.lastEventId).toBe('2');

    // Trimmed to nothing: the reset's empty id is the tab's last id, so it comes back without one.
    sse.closeAll();
    sse.sendNewEvent({ data: 'six', id: true });
    sse.clearHistory();
    expect((await see(6, 'the second reset')).slice(5)).toEqual(['reset||{"reason":"trimmed","oldestId":null}']);
    expect(sse.connections[0]?.lastEventId).toBe('5');
    sse.closeAll();
    await waitUntil({
      what: 'the fourth connection',
      probe: () => lifecycle.filter((event) => event.type === 'connected').length,
      done: (count) => count === 4,
    });
    expect(sse.connections[0]?.lastEventId).toBeUndefined();
    expect(await shown(page)).toHaveLength(6);
  });
});
