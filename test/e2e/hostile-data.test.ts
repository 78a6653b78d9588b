import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// Event data is untrusted: pages must show it as text, never parse it as HTML.

const suite = useBrowserSuite();

const hostile = '<img src=x onerror=window.pwned=1>';

describe('hostile event data', () => {
  it('appears as literal text in the textarea and the inspector and runs nothing', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const textarea = await openDemoTab(context, new URL('textarea', running.pagesUrl).href);
    const inspector = await openDemoTab(context, new URL('inspector', running.pagesUrl).href);
    await running.waitForRecord('#2 connected', (r) => r.type === 'connected' && r.conn === 2);

    // The textarea listens on the main stream, the inspector on its own channel.
    running.send(`send --data "${hostile}"`);
    running.send(`send --channel inspector --data "${hostile}"`);
    const sent = await running.waitForRecord('the channel send', (r) => r.type === 'sent' && r.channel === 'inspector');
    expect(running.recordsOfType('sent').map((r) => [r.data, r.connections])).toEqual([
      [hostile, 1],
      [hostile, 1],
    ]);
    expect(sent.data).toBe(hostile);

    await waitForPage(
      textarea.page,
      'the textarea to show the data',
      (page) => page.inputValue('#events'),
      (text) => text === `${hostile}\n`,
    );
    await waitForPage(
      inspector.page,
      'the inspector row',
      (page) =>
        page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals;
          return Array.from(document.querySelectorAll('#log-body tr[data-type="message"] td.data')).map(
            (cell) => cell.textContent,
          );
        }),
      (cells) => cells.length === 1,
    ).then((cells) => expect(cells).toEqual([hostile]));

    for (const { page, scriptErrors } of [textarea, inspector]) {
      const effects = await page.evaluate(() => {
        const { document, pwned } = globalThis as unknown as PageGlobals;
        return { pwned, images: document.querySelectorAll('img').length };
      });
      expect(effects).toEqual({ pwned: undefined, images: 0 });
      expect(scriptErrors).toEqual([]);
    }
  });
});
