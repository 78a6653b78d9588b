import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// Both shipped lesson scripts, run by the real binary from --script to the end, with chromium tabs open.

const suite = useBrowserSuite();

describe('the shipped lesson scripts', () => {
  it('racket-readme (by name): waits for each tab, sends, replays, waits for Enter and finishes', async () => {
    const running = await suite.startConsole(['--script', 'racket-readme']);
    const context = await suite.newContext();
    const textareaUrl = new URL('textarea', running.pagesUrl).href;
    const textOf = (page: Page): Promise<string> => page.inputValue('#events');

    const started = await running.waitForRecord(
      'the script to start',
      (r) => r.type === 'script' && r.state === 'started',
    );
    expect(String(started.file)).toMatch(/demo-pages\/lessons\/racket-readme\.txt$/);
    await running.waitForRecord(
      'the wait for one tab',
      (r) => r.type === 'narration' && /^waiting for 1 connection/.test(r.text),
    );
    expect(running.recordsOfType('sent')).toEqual([]);

    const tab1 = await openDemoTab(context, textareaUrl);
    await waitForPage(tab1.page, 'tab 1 to show "Hello World!"', textOf, (text) => text === 'Hello World!\n');
    await running.waitForRecord(
      'the wait for two tabs',
      (r) => r.type === 'narration' && /^waiting for 2 connections/.test(r.text),
    );

    const tab2 = await openDemoTab(context, textareaUrl);
    await waitForPage(
      tab2.page,
      'tab 2 to show only the id event',
      textOf,
      (text) => text === 'Hello World! (again)\n',
    );
    await waitForPage(
      tab1.page,
      'tab 1 to show both events',
      textOf,
      (text) => text === 'Hello World! (again)\nHello World!\n',
    );
    await running.waitForRecord(
      'the wait for three tabs',
      (r) => r.type === 'narration' && /^waiting for 3 connections/.test(r.text),
    );

    const tab3 = await openDemoTab(context, textareaUrl);
    await waitForPage(
      tab3.page,
      'tab 3 to show the replayed event',
      textOf,
      (text) => text === 'Hello World! (again)\n',
    );
    await running.waitForRecord(
      'the wait for Enter',
      (r) => r.type === 'narration' && /^press Enter to go on/.test(r.text),
    );
    expect(running.recordsOfType('script').map((r) => r.state)).toEqual(['started']);

    const mark = running.records.length;
    running.send('');
    await running.waitForRecord('the script to finish', (r) => r.type === 'script' && r.state === 'finished', {
      since: mark,
    });
    // `history` and `conns` ran after Enter: the one stored event, and three connections.
    const commands = running.recordsOfType('command', mark).map((r) => r.text);
    expect(commands).toEqual(['history', 'conns']);
    expect(running.recordsOfType('sent').map((r) => [r.id, r.data])).toEqual([
      [null, 'Hello World!'],
      [1, 'Hello World! (again)'],
    ]);
    expect(running.recordsOfType('replayed')).toMatchObject([{ conn: 3, count: 1, firstId: 1 }]);
    // Each scripted command is logged with the file and line it came from.
    const scripted = running.recordsOfType('command').filter((r) => r.script !== undefined);
    expect(scripted.map((r) => r.line)).toEqual([8, 14, 23, 25]);
    expect(running.recordsOfType('error')).toEqual([]);
    for (const tab of [tab1, tab2, tab3]) expect(tab.scriptErrors).toEqual([]);
  });

  it('reconnect (by path): the page resumes from Last-Event-ID after every hang-up, with no gap or duplicate', async () => {
    const running = await suite.startConsole(['--script', 'demo-pages/lessons/reconnect.txt']);
    const context = await suite.newContext();
    await running.waitForRecord(
      'the wait for one tab',
      (r) => r.type === 'narration' && /^waiting for 1 connection/.test(r.text),
    );
    const tab = await openDemoTab(context, new URL('reconnect', running.pagesUrl).href);
    await running.waitForRecord('the script to finish', (r) => r.type === 'script' && r.state === 'finished', {
      timeoutMs: 60_000,
    });

    const sentIds = running
      .recordsOfType('sent')
      .map((r) => r.id)
      .filter((id): id is number => typeof id === 'number');
    const lastSent = Math.max(...sentIds);
    expect(sentIds).toEqual(Array.from({ length: lastSent }, (_, index) => index + 1));
    expect(lastSent).toBeGreaterThanOrEqual(20);
    const read = (page: Page) =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const text = (id: string) => document.getElementById(id)?.textContent ?? '';
        return {
          verdict: document.getElementById('verdict')?.dataset.verdict ?? '',
          lastId: text('last-id'),
          reconnects: text('reconnects'),
          gaps: text('gaps'),
          duplicates: text('duplicates'),
          received: text('received'),
        };
      });
    const final = await waitForPage(
      tab.page,
      `the page to reach id ${lastSent}`,
      read,
      (seen) => seen.lastId === String(lastSent),
      20_000,
    );
    expect(final).toMatchObject({ verdict: 'ok', gaps: '0', duplicates: '0', received: String(lastSent) });
    expect(Number(final.reconnects)).toBeGreaterThanOrEqual(1);
    // Every reconnection asked for the last id it saw.
    for (const connection of running.recordsOfType('connected').slice(1)) {
      expect(String(connection.lastEventId)).toMatch(/^\d+$/);
    }
    expect(running.recordsOfType('job').map((r) => r.text)).toContainEqual(expect.stringMatching(/^stopped 1 job/));
    expect(running.recordsOfType('error')).toEqual([]);
    expect(tab.scriptErrors).toEqual([]);
  });

  it('refuses a broken --script before listening, naming the file and line', async () => {
    await expect(suite.startConsole(['--script', 'test/e2e/lessons.test.ts'])).rejects.toThrow(
      /--script: test\/e2e\/lessons\.test\.ts:1: unknown command "import"/,
    );
  });
});
