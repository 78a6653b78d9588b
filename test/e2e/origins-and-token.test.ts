import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createSse } from '../../core/index.js';
import { openDemoTab, waitForPage, waitForState } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { startLocalServer } from './support/http-server.js';
import { projectRoot } from '../support/project-root.js';

// Pages on one port read the stream on another (CORS); the same pages work same-origin;
// --token guards the stream, and the pages still get in over loopback.

const suite = useBrowserSuite();
const textOf = (page: Page): Promise<string> => page.inputValue('#events');

describe('cross-origin pages', () => {
  it('read the stream from both loopback names of the page port, and not from another origin', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const pagesPort = new URL(running.pagesUrl).port;
    const ssePort = new URL(running.sseUrl).port;
    expect(pagesPort).not.toBe(ssePort);

    const streamOrigins: (string | undefined)[] = [];
    context.on('response', (response) => {
      if (new URL(response.url()).port === ssePort)
        streamOrigins.push(response.headers()['access-control-allow-origin']);
    });
    const byAddress = await openDemoTab(context, `http://127.0.0.1:${pagesPort}/textarea`);
    const byName = await openDemoTab(context, `http://localhost:${pagesPort}/textarea`);
    expect(await byName.page.textContent('#stream-url')).toBe(running.sseUrl);
    expect(streamOrigins.sort()).toEqual([`http://127.0.0.1:${pagesPort}`, `http://localhost:${pagesPort}`]);

    // A page from an origin the stream does not allow: the browser refuses to read it.
    const foreign = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><p id="out">waiting</p><script>
        const source = new EventSource(${JSON.stringify(running.sseUrl)});
        source.onmessage = (event) => { document.getElementById('out').textContent = 'got ' + event.data; };
        source.onerror = () => { document.getElementById('out').dataset.readyState = String(source.readyState); };
      </script>`);
    });
    suite.onCleanup(() => foreign.close());
    const stranger = await context.newPage();
    await stranger.goto(`${foreign.origin}/`);
    await waitForPage(
      stranger,
      'the foreign page to give up',
      (page) => page.getAttribute('#out', 'data-ready-state'),
      (state) => state === '2',
    );

    running.send('send --data "for the demo pages"');
    const sent = await running.waitForRecord('the send', (r) => r.type === 'sent');
    for (const tab of [byAddress, byName]) {
      await waitForPage(tab.page, 'the event', textOf, (text) => text === 'for the demo pages\n');
      expect(tab.scriptErrors).toEqual([]);
    }
    // The server refuses the foreign origin outright (403, logged), so only the two
    // demo tabs hold a connection; the foreign page never sees the data.
    expect(sent.connections).toBe(2);
    expect(running.recordsOfType('refused').some((r) => r.status === 403)).toBe(true);
    expect(await stranger.textContent('#out')).toBe('waiting');
  });
});

describe('same-origin pages', () => {
  it('work when the stream is mounted with sse.handle beside the demo pages', async () => {
    const sse = createSse();
    suite.onCleanup(() => sse.stop());
    const demoDir = join(projectRoot, 'demo-pages');
    const types: Record<string, string> = {
      '.html': 'text/html; charset=utf-8',
      '.js': 'text/javascript',
      '.css': 'text/css',
      '.svg': 'image/svg+xml',
    };
    const app = await startLocalServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/events') {
        void sse.handle(req, res);
        return;
      }
      if (path === '/config.json') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ sseUrl: '/events', pages: [] }));
        return;
      }
      const file =
        path === '/textarea'
          ? 'textarea.html'
          : /^\/assets\/[\w-]+\.(js|css|svg)$/.test(path)
            ? path.slice(1)
            : undefined;
      if (file === undefined) {
        res.writeHead(404).end();
        return;
      }
      readFile(join(demoDir, file)).then(
        (body) =>
          res
            .writeHead(200, { 'Content-Type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' })
            .end(body),
        () => res.writeHead(500).end(),
      );
    });
    suite.onCleanup(() => app.close());

    const context = await suite.newContext();
    const tab = await openDemoTab(context, `${app.origin}/textarea`);
    expect(await tab.page.textContent('#stream-url')).toBe(`${app.origin}/events`);
    expect(sse.connections).toHaveLength(1);
    expect(sse.sendNewEvent({ data: 'same origin', id: true }).connectionCount).toBe(1);
    await waitForPage(tab.page, 'the event', textOf, (text) => text === 'same origin\n');
    expect(tab.scriptErrors).toEqual([]);
  });
});

describe('--token', () => {
  it('lets the pages in with the token from /config.json and refuses a stream request without it', async () => {
    const token = 'e2e-secret-token';
    const running = await suite.startConsole(['--token', token]);
    const context = await suite.newContext();

    const textarea = await openDemoTab(context, new URL('textarea', running.pagesUrl).href);
    const connected = await running.waitForRecord('#1 connected', (r) => r.type === 'connected' && r.conn === 1);
    expect(connected.path).toBe('/events?token=***');
    expect(await textarea.page.textContent('#stream-url')).toBe(`${running.sseUrl}?token=%E2%80%A6`);
    running.send('send --data "with a token" --id');
    await waitForPage(textarea.page, 'the event', textOf, (text) => text === 'with a token\n');

    // The toggles page POSTs with the token too.
    const toggles = await openDemoTab(context, new URL('toggles', running.pagesUrl).href);
    await waitForPage(
      toggles.page,
      'the boxes to be enabled',
      (page) => page.isEnabled('#box-two'),
      (enabled) => enabled,
    );
    await toggles.page.click('#box-two');
    await waitForPage(
      toggles.page,
      'box two to flip on',
      (page) => page.getAttribute('#box-two', 'data-value'),
      (value) => value === 'true',
    );
    await running.waitForRecord('the POST', (r) => r.type === 'page' && r.method === 'POST' && r.status === 200);

    const mark = running.records.length;
    const bare = await fetch(running.sseUrl);
    expect(bare.status).toBe(401);
    expect(await bare.text()).toMatch(/token/);
    const refused = await running.waitForRecord('the refusal', (r) => r.type === 'refused', { since: mark });
    expect(refused).toMatchObject({ status: 401, reason: 'missing token', path: '/events' });

    const wrong = await fetch(`${running.sseUrl}?token=wrong`);
    expect(wrong.status).toBe(401);
    await wrong.text();
    await running.waitForRecord('the second refusal', (r) => r.type === 'refused' && r.reason === 'wrong token', {
      since: mark,
    });

    const post = await fetch(new URL('api/toggles/one', running.pagesUrl), { method: 'POST' });
    expect(post.status).toBe(401);
    await post.text();

    // The refused requests left the pages' connections alone.
    expect(running.recordsOfType('disconnected')).toEqual([]);
    await waitForState(textarea.page, 'open');
    for (const tab of [textarea, toggles]) expect(tab.scriptErrors).toEqual([]);
  });
});
