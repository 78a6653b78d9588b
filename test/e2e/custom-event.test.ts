import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// clack-sse: a named event reaches addEventListener(name) only; a plain one reaches onmessage only.

const suite = useBrowserSuite();

/** Each column's rows: [type, text] from newest to oldest. */
function columns(page: Page): Promise<{ custom: string[][]; message: string[][] }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const rows = (id: string) =>
      Array.from(document.querySelectorAll(`#${id} li`)).map((row) => [
        row.dataset.type ?? '',
        // The row is "time, data, optional flag": the data is its one text node (nodeType 3).
        Array.from(row.childNodes)
          .filter((node) => node.nodeType === 3)
          .map((node) => node.textContent)
          .join(''),
      ]);
    return { custom: rows('custom-log'), message: rows('message-log') };
  });
}

describe('the custom-event page', () => {
  it('puts named events in the listener column and plain ones in the onmessage column', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const tab = await openDemoTab(context, new URL('custom-event', running.pagesUrl).href);

    running.send('send --channel custom-event --event my-custom-event --data "Hello World! 1"');
    await waitForPage(tab.page, 'the named event in the listener column', columns, (seen) => seen.custom.length === 1);
    running.send('send --channel custom-event --data "Hello World! 2"');
    const seen = await waitForPage(
      tab.page,
      'the plain event in the onmessage column',
      columns,
      (now) => now.message.length === 1,
    );

    expect(seen).toEqual({
      custom: [['my-custom-event', 'Hello World! 1']],
      message: [['message', 'Hello World! 2']],
    });
    expect(await tab.page.textContent('#custom-count')).toBe('1');
    expect(await tab.page.textContent('#message-count')).toBe('1');

    // A name nobody listens for reaches neither column; the next plain event proves it was delivered past.
    running.send('send --channel custom-event --event other --data "nobody listens"');
    running.send('send --channel custom-event --data "Hello World! 3"');
    const after = await waitForPage(tab.page, 'the third plain event', columns, (now) => now.message.length === 2);
    expect(after.custom).toEqual([['my-custom-event', 'Hello World! 1']]);
    expect(after.message[0]).toEqual(['message', 'Hello World! 3']);
    const other = await running.waitForRecord('the unheard send', (r) => r.type === 'sent' && r.event === 'other');
    expect(other.connections).toBe(1);
    expect(tab.scriptErrors).toEqual([]);
  });
});
