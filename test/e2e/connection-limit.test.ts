import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// The HTTP/1.1 limit of 6 connections per host, in a real Chromium: the seventh
// stream tab waits, its page says why after ~3 s, and so does the console. And a tab
// opened on the stream URL itself is pointed out.

const suite = useBrowserSuite();

describe('the 6-connections-per-host limit', () => {
  it('explains a seventh tab stuck in CONNECTING, on the page and in the console', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const page = new URL('textarea', running.pagesUrl).href;
    for (let tab = 1; tab <= 6; tab += 1) await openDemoTab(context, page);
    await running.waitForRecord('six streams', (r) => r.type === 'connected' && r.conn === 6);

    const seventh = await context.newPage();
    await seventh.goto(page, { waitUntil: 'load', timeout: 30_000 });
    const seen = await waitForPage(
      seventh,
      'the connection-limit hint',
      (tab) =>
        tab.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          const problem = document.getElementById('problem');
          return {
            state: document.getElementById('state')?.dataset.state,
            problem: problem?.hidden ? '' : (problem?.textContent ?? ''),
          };
        }),
      (value) => value.problem !== '',
      15_000,
    );
    expect(seen.state).toBe('connecting');
    expect(seen.problem).toMatch(/at most 6 connections per host/);
    const note = await running.waitForRecord('the console note', (r) => r.type === 'connection-limit', {
      timeoutMs: 15_000,
    });
    expect(String(note.text)).toMatch(
      /^\/textarea loaded 3 s ago but its stream has not arrived: that browser already holds 6 streams/,
    );
  });

  it('points out a tab opened on the stream URL itself', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const tab = await context.newPage();
    void tab.goto(running.sseUrl, { waitUntil: 'commit', timeout: 30_000 }).catch(() => undefined);
    const note = await running.waitForRecord('the stream-tab note', (r) => r.type === 'stream-tab', {
      timeoutMs: 15_000,
    });
    expect(String(note.text)).toMatch(/is a browser tab opened on the stream URL itself \(Accept: text\/html/);
  });
});
