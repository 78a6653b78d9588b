import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// awful-sse's time server: an `every` job pushes the time, the page shows it.

const suite = useBrowserSuite();

function clock(page: Page): Promise<{ time: string; via: string; ticks: number }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return {
      time: document.getElementById('time')?.textContent ?? '',
      via: document.getElementById('via')?.textContent ?? '',
      ticks: Number(document.getElementById('ticks')?.textContent),
    };
  });
}

describe('the clock page', () => {
  it('shows the time an every job sends as tick events', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const tab = await openDemoTab(context, new URL('clock', running.pagesUrl).href);
    expect((await clock(tab.page)).time).toBe('--:--:--');

    running.send('every 1s send --channel clock --event tick --data "{time}"');
    await running.waitForRecord('the job start', (r) => r.type === 'job' && /started: every 1s/.test(r.text));
    const shown = await waitForPage(tab.page, 'two ticks', clock, (seen) => seen.ticks >= 2);
    running.send('stop all');

    expect(shown.via).toBe('tick');
    expect(shown.time).toMatch(/^\d\d:\d\d:\d\d$/);
    const sent = running.recordsOfType('sent').filter((r) => r.event === 'tick');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    // What the page shows is what the console sent: the time filled in by {time}.
    expect(sent.map((r) => r.data)).toContain(shown.time);
    for (const record of sent) expect(record).toMatchObject({ id: null, connections: 1 });
    expect(tab.scriptErrors).toEqual([]);
  });
});
