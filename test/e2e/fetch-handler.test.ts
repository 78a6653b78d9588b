/**
`sse.fetch` as a browser meets it: Chromium's EventSource on a stream that Hono
serves through `app.get('/events', (c) => sse.fetch(c.req.raw))` on
@hono/node-server. Replay, live events, a reconnect with Last-Event-ID after the
server hangs up, and the tab closing, all through the framework's own Request and
Response handling.
*/
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
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

/** The page: one EventSource on /events, each event as a line `id|data`. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>fetch handler</title>
<p id="state">connecting</p>
<ol id="events"></ol>
<script>
  const source = new EventSource('/events');
  const state = document.getElementById('state');
  source.onopen = () => { state.textContent = 'open'; };
  source.onerror = () => { state.textContent = source.readyState === 2 ? 'closed' : 'reconnecting'; };
  source.onmessage = (event) => {
    const item = document.createElement('li');
    item.textContent = event.lastEventId + '|' + event.data;
    document.getElementById('events').append(item);
  };
</script>`;

async function shown(page: Page): Promise<string[]> {
  return page.locator('#events li').allTextContents();
}

describe('sse.fetch behind Hono, in Chromium', () => {
  it('replays, streams live, resumes after Last-Event-ID when the server hangs up, and sees the tab leave', async () => {
    const sse = createSse({ retryMs: 200, heartbeatMs: 0 });
    const lifecycle: SseLifecycleEvent[] = [];
    sse.subscribe((event) => lifecycle.push(event));
    const app = new Hono();
    app.get('/', (c) => c.html(PAGE));
    app.get('/events', (c) => {
      const { remote } = getConnInfo(c);
      return sse.fetch(c.req.raw, { remoteAddress: remote.address, remotePort: remote.port });
    });
    const server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
    });
    cleanup(async () => {
      sse.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as AddressInfo;

    sse.sendNewEvent({ data: 'stored one', id: true });
    sse.sendNewEvent({ data: 'stored two', id: true });
    const context = await browser.newContext();
    cleanup(() => context.close());
    const page = await context.newPage();
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    await page.goto(`http://127.0.0.1:${port}/`);

    const see = (count: number, what: string): Promise<string[]> =>
      waitUntil({ what, probe: () => shown(page), done: (seen) => seen.length >= count });
    expect(await see(2, 'the replay')).toEqual(['1|stored one', '2|stored two']);
    expect(await page.locator('#state').textContent()).toBe('open');
    expect(sse.connections[0]?.info()).toMatchObject({ remoteAddress: '127.0.0.1', path: '/events' });
    expect(sse.connections[0]?.info().userAgent).toMatch(/Chrome/);

    sse.sendNewEvent({ data: 'live', id: true });
    expect(await see(3, 'the live event')).toEqual(['1|stored one', '2|stored two', '3|live']);

    // Hang up; while the tab waits its retry, an event is stored; it resumes after id 3.
    sse.closeAll();
    sse.sendNewEvent({ data: 'while away', id: true });
    const expected = ['1|stored one', '2|stored two', '3|live', '4|while away'];
    expect(await see(4, 'the event sent while away')).toEqual(expected);
    expect(sse.connections[0]?.lastEventId).toBe('3');
    expect(lifecycle.filter((event) => event.type === 'connected')).toHaveLength(2);

    // The tab closes: Hono aborts the request, and the stream lets the connection go.
    await page.close();
    await waitUntil({
      what: 'the closed tab to be reported',
      probe: () => lifecycle.flatMap((event) => (event.type === 'disconnected' ? [event.reason] : [])),
      done: (reasons) => reasons.length === 2,
    }).then((reasons) => expect(reasons).toEqual(['server-closed', 'client-closed']));
    expect(sse.connections).toHaveLength(0);
    expect(scriptErrors).toEqual([]);
  });
});
