import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// cl-sse: the stream hangs up after 10 events; the browser resumes from Last-Event-ID.

const suite = useBrowserSuite();

/** The page's own account of what it received. */
function verdict(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const text = (id: string) => document.getElementById(id)?.textContent ?? '';
    return {
      verdict: document.getElementById('verdict')?.dataset.verdict ?? '',
      ids: text('ids'),
      lastId: text('last-id'),
      reconnects: text('reconnects'),
      resumes: text('resumes'),
      gaps: text('gaps'),
      duplicates: text('duplicates'),
      received: text('received'),
    };
  });
}

describe('the reconnect page', () => {
  it('reconnects after every 10 events and receives each id once, in order', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const tab = await openDemoTab(context, new URL('reconnect', running.pagesUrl).href);
    const first = await running.waitForRecord('#1 connected', (r) => r.type === 'connected' && r.conn === 1);
    expect(first.path).toBe('/events/reconnect?closeAfter=10');

    // A short reconnection time keeps the test quick; the browser stores it at once.
    running.send('retry 500');
    await running.waitForRecord('the retry block', (r) => r.type === 'sent' && r.retry === 500);
    running.send('every 200ms send --channel reconnect --id --data "tick {n}"');

    // Two reconnections: connections #2 and #3, each asking for what came after the last id seen.
    await running.waitForRecord('#3 connected', (r) => r.type === 'connected' && r.conn === 3, { timeoutMs: 40_000 });
    await waitForPage(
      tab.page,
      'the page to count two reconnects',
      verdict,
      (seen) => Number(seen.reconnects) >= 2,
      20_000,
    );
    running.send('stop all');
    await running.waitForRecord('the job to stop', (r) => r.type === 'job' && /^stopped 1 job/.test(r.text));

    // The last id sent is the one the page must end on (it may still be reconnecting).
    const sentIds = running
      .recordsOfType('sent')
      .map((r) => r.id)
      .filter((id): id is number => typeof id === 'number');
    const lastSent = Math.max(...sentIds);
    expect(sentIds).toEqual(Array.from({ length: lastSent }, (_, index) => index + 1));
    const final = await waitForPage(
      tab.page,
      `the page to reach id ${lastSent}`,
      verdict,
      (seen) => seen.lastId === String(lastSent),
      20_000,
    );

    expect(final).toMatchObject({
      verdict: 'ok',
      ids: `1–${lastSent}`,
      gaps: '0',
      duplicates: '0',
      received: String(lastSent),
    });
    expect(Number(final.resumes)).toBe(Number(final.reconnects));

    // Every reconnection sent Last-Event-ID, the last id seen, and was replayed only what followed it.
    const connections = running.recordsOfType('connected');
    expect(connections[0]?.lastEventId).toBeNull();
    const resumedFrom = connections.slice(1).map((connection) => {
      const asked = String(connection.lastEventId);
      expect(asked, `Last-Event-ID of #${String(connection.conn)}`).toMatch(/^\d+$/);
      const replay = running.recordsOfType('replayed').find((r) => r.conn === connection.conn);
      if (replay !== undefined) expect(replay.firstId).toBe(Number(asked) + 1);
      return Number(asked);
    });
    expect(resumedFrom.length).toBeGreaterThanOrEqual(2);
    expect([...resumedFrom].sort((a, b) => a - b)).toEqual(resumedFrom);
    expect(new Set(resumedFrom).size).toBe(resumedFrom.length);
    for (const hangUp of running.recordsOfType('disconnected')) {
      expect(hangUp).toMatchObject({ reason: 'close-after', eventsSent: 10 });
    }
    expect(tab.scriptErrors).toEqual([]);
  });
});
