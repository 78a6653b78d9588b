import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';

// The Racket SSE README, step by step, in real chromium tabs against the real binary.

const suite = useBrowserSuite();

describe('the Racket README session on the textarea page', () => {
  it('sends to open tabs, stores only id events and replays them to later tabs', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const textareaUrl = new URL('textarea', running.pagesUrl).href;
    const textOf = (page: Page): Promise<string> => page.inputValue('#events');

    const tab1 = await openDemoTab(context, textareaUrl);
    await running.waitForRecord('#1 connected', (r) => r.type === 'connected' && r.conn === 1);

    let mark = running.records.length;
    running.send('send --data "Hello World!"');
    const firstSend = await running.waitForRecord('the first send', (r) => r.type === 'sent', { since: mark });
    expect(firstSend).toMatchObject({ id: null, data: 'Hello World!', connections: 1 });
    await waitForPage(tab1.page, 'tab 1 to show "Hello World!"', textOf, (text) => text === 'Hello World!\n');

    const tab2 = await openDemoTab(context, textareaUrl);
    await running.waitForRecord('#2 connected', (r) => r.type === 'connected' && r.conn === 2);
    // Nothing was stored, so nothing is replayed: tab 2's first event is the next send.
    expect(running.recordsOfType('replayed')).toEqual([]);

    mark = running.records.length;
    running.send('send --data "Hello World! (again)" --id');
    const secondSend = await running.waitForRecord('the id send', (r) => r.type === 'sent', { since: mark });
    expect(secondSend).toMatchObject({ id: 1, data: 'Hello World! (again)', connections: 2 });
    await waitForPage(
      tab1.page,
      'tab 1 to show both events',
      textOf,
      (text) => text === 'Hello World! (again)\nHello World!\n',
    );
    await waitForPage(
      tab2.page,
      'tab 2 to show only the id event',
      textOf,
      (text) => text === 'Hello World! (again)\n',
    );

    const tab3 = await openDemoTab(context, textareaUrl);
    const replay = await running.waitForRecord('#3 replayed', (r) => r.type === 'replayed' && r.conn === 3);
    expect(replay).toMatchObject({ count: 1, firstId: 1, lastId: 1 });
    await waitForPage(
      tab3.page,
      'tab 3 to show the replayed event',
      textOf,
      (text) => text === 'Hello World! (again)\n',
    );
    expect(await tab3.page.textContent('#count')).toBe('1');
    expect(await tab2.page.textContent('#count')).toBe('1');
    expect(await tab1.page.textContent('#count')).toBe('2');

    // The log counted the tabs: three connections, each from the demo page's path.
    const connected = running.recordsOfType('connected');
    expect(connected.map((r) => r.conn)).toEqual([1, 2, 3]);
    for (const record of connected) {
      expect(record.path).toBe('/events');
      expect(String(record.userAgent)).toMatch(/Chrome/);
    }
    expect(running.recordsOfType('disconnected')).toEqual([]);
    for (const tab of [tab1, tab2, tab3]) expect(tab.scriptErrors).toEqual([]);
  });
});
