import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// awful-sse "SSE and Ajax": a click POSTs to the page server, which broadcasts the new state.

const suite = useBrowserSuite();

/** The boxes as the page shows them, once it has drawn a state and enabled them. */
function boxes(page: Page): Promise<{ one: string | undefined; two: string | undefined; enabled: boolean }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const one = document.getElementById('box-one');
    const two = document.getElementById('box-two');
    return {
      one: one?.dataset.value,
      two: two?.dataset.value,
      enabled: one?.disabled === false && two?.disabled === false,
    };
  });
}

describe('the toggles page in two tabs', () => {
  it('flips a box in both tabs when one tab clicks it, and logs the POST', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const url = new URL('toggles', running.pagesUrl).href;
    const tab1 = await openDemoTab(context, url);
    const tab2 = await openDemoTab(context, url);
    const start = { one: 'true', two: 'false', enabled: true };
    for (const tab of [tab1, tab2]) {
      await waitForPage(
        tab.page,
        'the initial state (one on, two off)',
        boxes,
        (seen) => JSON.stringify(seen) === JSON.stringify(start),
      );
    }

    const mark = running.records.length;
    await tab1.page.click('#box-one');
    const flipped = { one: 'false', two: 'false', enabled: true };
    for (const tab of [tab1, tab2]) {
      await waitForPage(
        tab.page,
        'box one to flip off',
        boxes,
        (seen) => JSON.stringify(seen) === JSON.stringify(flipped),
      );
    }
    expect(await tab2.page.getAttribute('#box-one', 'aria-pressed')).toBe('false');
    expect(await tab2.page.textContent('#box-one')).toBe('one: false');

    const post = await running.waitForRecord('the POST', (r) => r.type === 'page' && r.method === 'POST', {
      since: mark,
    });
    expect(post).toMatchObject({ path: '/api/toggles/one', status: 200 });
    const broadcast = await running.waitForRecord(
      'the toggles event',
      (r) => r.type === 'sent' && r.event === 'toggles',
      { since: mark },
    );
    expect(broadcast).toMatchObject({ id: null, connections: 2 });
    expect(JSON.parse(String(broadcast.data))).toEqual({ one: false, two: false });

    // And back from the other tab, on the other box.
    await tab2.page.click('#box-two');
    const both = { one: 'false', two: 'true', enabled: true };
    for (const tab of [tab1, tab2]) {
      await waitForPage(tab.page, 'box two to flip on', boxes, (seen) => JSON.stringify(seen) === JSON.stringify(both));
    }
    await running.waitForRecord(
      'the second POST',
      (r) => r.type === 'page' && r.method === 'POST' && r.path === '/api/toggles/two',
      { since: mark },
    );
    expect(await tab1.page.locator('#log li').count()).toBe(2);
    for (const tab of [tab1, tab2]) expect(tab.scriptErrors).toEqual([]);
  });
});
