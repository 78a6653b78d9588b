import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// The limits page in a real Chromium: eight EventSources to one stream. Over HTTP/1.1
// six open and the rest stay CONNECTING (6 connections per host); over --http2 all
// eight share one connection and open.

const suite = useBrowserSuite();

interface LimitsView {
  readonly rows: readonly string[];
  readonly open: number;
  readonly connecting: number;
  readonly protocol: string;
  readonly problem: string;
}

function readLimits(tab: Page): Promise<LimitsView> {
  return tab.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const rows = Array.from(document.querySelectorAll('#stream-rows tr'), (row) => row.dataset.state ?? '');
    const problem = document.getElementById('problem');
    return {
      rows,
      open: rows.filter((state) => state === 'open').length,
      connecting: rows.filter((state) => state === 'connecting').length,
      protocol: document.getElementById('page-protocol')?.textContent ?? '',
      problem: problem?.hidden ? '' : (problem?.textContent ?? ''),
    };
  });
}

describe('the limits page', () => {
  it('stalls at 6 open streams over HTTP/1.1: the 7th and 8th stay CONNECTING', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const tab = await context.newPage();
    await tab.goto(new URL('limits', running.pagesUrl).href, { waitUntil: 'load', timeout: 30_000 });
    // The page's own hint comes 3 s after the 8th stream was created, so the wait is not a guess.
    const seen = await waitForPage(
      tab,
      'eight streams created and the hint shown',
      readLimits,
      (view) => view.rows.length === 8 && view.problem !== '',
      30_000,
    );
    expect(seen.protocol).toBe('http/1.1');
    expect(seen.open).toBe(6);
    expect(seen.rows.slice(6)).toEqual(['connecting', 'connecting']);
    expect(seen.problem).toMatch(/at most 6 connections/);
    expect(running.recordsOfType('connected')).toHaveLength(6);
  });

  it('opens all 8 over --http2, every one an h2 connection in the console', async () => {
    const stateHome = mkdtempSync(join(tmpdir(), 'sse-console-limits-'));
    suite.onCleanup(() => rmSync(stateHome, { recursive: true, force: true }));
    const running = await suite.startConsole(['--http2'], { env: { XDG_STATE_HOME: stateHome } });
    expect(running.pagesUrl).toMatch(/^https:\/\//);
    expect(running.sseUrl).toMatch(/^https:\/\//);
    const context = await suite.newContext({ ignoreHTTPSErrors: true });
    const tab = await context.newPage();
    await tab.goto(new URL('limits', running.pagesUrl).href, { waitUntil: 'load', timeout: 30_000 });
    const seen = await waitForPage(tab, 'eight open streams', readLimits, (view) => view.open === 8, 30_000);
    expect(seen.protocol).toBe('h2');
    const connected = await running.waitForRecord('the 8th connection', (r) => r.type === 'connected' && r.conn === 8);
    expect(connected.protocol).toBe('h2');
    expect(running.recordsOfType('connected').map((r) => r.protocol)).toEqual(Array(8).fill('h2'));
  });

  // What the README tells a user about the self-signed certificate, checked in Chromium itself.
  it('--http2 in Chromium: one Proceed on the pages URL is enough for the streams on the other port, under the same host', async () => {
    const stateHome = mkdtempSync(join(tmpdir(), 'sse-console-limits-'));
    suite.onCleanup(() => rmSync(stateHome, { recursive: true, force: true }));
    const running = await suite.startConsole(['--http2'], { env: { XDG_STATE_HOME: stateHome } });
    const proceedOn = async (pageUrl: string): Promise<Page> => {
      const tab = await (await suite.newContext()).newPage();
      // The interstitial: the navigation fails, and the page shows the warning with its Proceed link.
      await expect(tab.goto(pageUrl, { timeout: 30_000 })).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
      await tab.click('#details-button');
      await tab.click('#proceed-link');
      return tab;
    };

    const sameHost = await proceedOn(new URL('limits', running.pagesUrl).href);
    const seen = await waitForPage(sameHost, 'eight open streams', readLimits, (view) => view.open === 8, 30_000);
    expect(seen.protocol).toBe('h2');
    expect(new URL(running.sseUrl).hostname).toBe('127.0.0.1');

    // The pages under another name: the stream's host (127.0.0.1) was never accepted in this context.
    const otherHost = new URL('limits', running.pagesUrl);
    otherHost.hostname = 'localhost';
    const before = running.recordsOfType('connected').length;
    const elsewhere = await proceedOn(otherHost.href);
    const failed = await waitForPage(
      elsewhere,
      'eight streams created, none able to connect',
      (tab) =>
        tab.evaluate(() =>
          Array.from(
            (globalThis as unknown as PageGlobals).document.querySelectorAll('#stream-rows tr'),
            (row) => row.dataset.state ?? '',
          ),
        ),
      (rows) => rows.length === 8 && rows.every((state) => state === 'connecting'),
      30_000,
    );
    // The certificate error fails each request; EventSource keeps retrying, so they stay CONNECTING.
    expect(failed).toHaveLength(8);
    expect(running.recordsOfType('connected')).toHaveLength(before);
  });
});
