import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage, waitForState } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';
import { startLocalServer } from './support/http-server.js';
import { startProxyApp } from './support/proxy-app.js';

// Proxy mode: the console between a real app and Chromium, watching and breaking its stream.

const suite = useBrowserSuite();

function pageView(page: Page): Promise<{ events: string[]; lastId: string; problem: string }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const problem = document.getElementById('problem');
    return {
      events: Array.from(document.querySelectorAll('#events li'), (item) => item.textContent ?? ''),
      lastId: document.getElementById('last-id')?.textContent ?? '',
      problem: problem?.hidden === false ? (problem.textContent ?? '') : '',
    };
  });
}

describe('sse-console proxy in front of a real app', () => {
  it('shows the live events, breaks the stream on command, and the page and app see it all', async () => {
    const app = await startProxyApp();
    suite.onCleanup(() => app.close());
    const running = await suite.startConsole([], { subcommand: ['proxy', `${app.origin}/`] });
    const context = await suite.newContext();
    const tab = await openDemoTab(context, running.sseUrl);

    // The page loaded through the proxy and its relative EventSource URL streams through it.
    await running.waitForRecord(
      'the page request',
      (r) => r.type === 'proxy-request' && r.path === '/' && r.status === 200,
    );
    await running.waitForRecord(
      '#1 stream',
      (r) => r.type === 'proxy-stream-open' && r.conn === 1 && r.path === '/events',
    );
    await running.waitForRecord(
      'an event on #1',
      (r) => r.type === 'proxy-event' && r.conn === 1 && r.treatment === 'passed',
    );
    await waitForPage(tab.page, 'ticks in the page', pageView, (seen) =>
      seen.events.some((text) => text.startsWith('message tick')),
    );

    // The app's POST goes through, body and all.
    await tab.page.click('#note');
    await running.waitForRecord(
      'the POST line',
      (r) => r.type === 'proxy-request' && r.method === 'POST' && r.path === '/api/notes' && r.status === 201,
    );
    expect(app.notes).toEqual(['{"note":"clicked"}']);

    // close: the browser reconnects with Last-Event-ID, and that reaches the app.
    const beforeClose = running.records.length;
    running.send('close all');
    const closed = await running.waitForRecord('#1 closed', (r) => r.type === 'proxy-stream-close' && r.conn === 1, {
      since: beforeClose,
    });
    expect(closed.reason).toBe('closed-by-console');
    const reopened = await running.waitForRecord('#2 stream', (r) => r.type === 'proxy-stream-open' && r.conn === 2, {
      since: beforeClose,
    });
    expect(reopened.lastEventId).toBe(closed.lastEventId);
    expect(reopened.lastEventId).toMatch(/^\d+$/);
    expect(app.streamRequests).toEqual([null, String(reopened.lastEventId)]);
    await waitForState(tab.page, 'open');

    // An injected event reaches the page, marked as injected in the log.
    running.send('send --event surprise "hello from the console"');
    await running.waitForRecord(
      'the injected event',
      (r) => r.type === 'proxy-event' && r.treatment === 'injected' && r.event === 'surprise',
    );
    await waitForPage(tab.page, 'the injected event in the page', pageView, (seen) =>
      seen.events.includes('surprise hello from the console'),
    );

    // respond 503 --once: the next reconnection is answered by the proxy and the page fails for good.
    running.send('respond 503 --once');
    running.send('close all');
    await running.waitForRecord('the 503 answer', (r) => r.type === 'proxy-answered' && r.status === 503);
    await waitForState(tab.page, 'closed');
    const final = await waitForPage(tab.page, 'the page error path', pageView, (seen) => seen.problem !== '');
    expect(final.problem).toBe('the stream failed for good');
    // The app never saw that request.
    expect(app.streamRequests).toHaveLength(2);
    expect(tab.scriptErrors).toEqual([]);
  });

  it("--token: the proxy's own pages stream with its cookie; a page on another local port, which gets the cookie too, is refused", async () => {
    const app = await startProxyApp();
    suite.onCleanup(() => app.close());
    const running = await suite.startConsole(['--token', 'e2e-token'], { subcommand: ['proxy', `${app.origin}/`] });
    const context = await suite.newContext();
    // Once with the token in the URL; the page's EventSource and its POST then carry only the cookie.
    const tab = await openDemoTab(context, `${running.sseUrl}?sse-console-token=e2e-token`);
    await running.waitForRecord('an event on #1', (r) => r.type === 'proxy-event' && r.conn === 1);
    await tab.page.click('#note');
    await running.waitForRecord(
      'the POST',
      (r) => r.type === 'proxy-request' && r.method === 'POST' && r.status === 201,
    );

    // Another local server's page: same site for the browser, so the cookie goes with its requests.
    const other = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<title>other app</title>');
    });
    suite.onCleanup(() => other.close());
    const page = await context.newPage();
    await page.goto(`${other.origin}/`);
    const before = running.records.length;
    await page.evaluate(async (url) => {
      await fetch(url, { method: 'POST', body: 'from elsewhere', mode: 'no-cors', credentials: 'include' }).catch(
        () => undefined,
      );
    }, `${running.sseUrl}api/notes`);
    const refused = await running.waitForRecord(
      'the refusal',
      (r) => r.type === 'proxy-request' && r.method === 'POST' && r.status === 401,
      { since: before },
    );
    expect(String(refused['problem'])).toMatch(/Sec-Fetch-Site: same-site|the page at http:\/\/127\.0\.0\.1:/);
    expect(app.notes).toEqual(['{"note":"clicked"}']);
    expect(tab.scriptErrors).toEqual([]);
  });
});
