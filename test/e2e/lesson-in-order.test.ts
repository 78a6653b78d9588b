import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/project-root.js';
import { openDemoTab, waitForPage, type DemoTab } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';
import type { TmuxSession } from './support/tmux.js';
import { startTuiInTmux, statusUrls, typeCommand } from './support/tui-process.js';

/*
A whole lesson in one console, demo after demo, as a teacher gives it: the real TUI at
80×24 in tmux, one headless Chromium. Each step opens its page, types the commands the
page itself shows (read from its Try box, so the page's instructions are what is
tested), and checks that the page shows only what its own demo sent, whatever ran
before. A step is one entry in `LESSON`; add one to extend the lesson.
*/

const suite = useBrowserSuite();

/** What every step gets: the console, the browser, and helpers on both. */
interface Lesson {
  readonly tmux: TmuxSession;
  readonly pagesUrl: string;
  readonly browser: BrowserContext;
  /** Opens `name` in a new tab and waits for its stream to open. */
  open(name: string): Promise<DemoTab>;
  /** Types a line at the console's prompt (and presses Enter). */
  type(line: string): Promise<void>;
}

interface LessonStep {
  readonly name: string;
  run(lesson: Lesson): Promise<void>;
}

/** The console commands a page's Try box shows, in order, as the user would copy them. */
function pageCommands(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return Array.from(document.querySelectorAll('.try pre.command'), (block) => (block.textContent ?? '').trim());
  });
}

/** The one command of a page's Try box that `matches`. */
async function commandOn(page: Page, matches: RegExp): Promise<string> {
  const found = (await pageCommands(page)).filter((command) => matches.test(command));
  expect(found, `${page.url()}: one command matching ${String(matches)}`).toHaveLength(1);
  return found[0] ?? '';
}

const text = (page: Page, id: string): Promise<string> =>
  page.evaluate((target) => {
    const { document } = globalThis as unknown as PageGlobals;
    return document.getElementById(target)?.textContent ?? '';
  }, id);

/** The Racket SSE README, on the main stream: send, a second tab, a stored send, a third tab. */
const textareaWalkthrough: LessonStep = {
  name: 'textarea walk-through (Racket SSE)',
  async run({ open, type }) {
    const events = (page: Page) => page.inputValue('#events');
    const first = await open('textarea');
    const [plain, stored] = await pageCommands(first.page);
    expect(plain).toBe('send --data "Hello World!"');
    expect(stored).toBe('send --data "Hello World! (again)" --id');
    await type(plain ?? '');
    await waitForPage(first.page, 'the first event', events, (value) => value === 'Hello World!\n');
    const second = await open('textarea');
    await type(stored ?? '');
    const both = 'Hello World! (again)\nHello World!\n';
    await waitForPage(first.page, 'both events in the first tab', events, (value) => value === both);
    // The second tab was opened after the plain send: it has the stored event only.
    await waitForPage(second.page, 'the stored event', events, (value) => value === 'Hello World! (again)\n');
    const third = await open('textarea');
    await waitForPage(third.page, 'the replayed event', events, (value) => value === 'Hello World! (again)\n');
    expect(await text(third.page, 'count')).toBe('1');
    for (const tab of [first, second, third]) {
      expect(tab.scriptErrors).toEqual([]);
      await tab.page.close();
    }
  },
};

/** awful-sse's clock, on /events/clock: the textarea's stored event is not replayed to it. */
const clock: LessonStep = {
  name: 'clock (awful-sse)',
  async run({ open, type }) {
    const tab = await open('clock');
    const read = async (page: Page) => ({
      time: await text(page, 'time'),
      via: await text(page, 'via'),
      updates: Number(await text(page, 'ticks')),
    });
    // The page's plain send first: its one update must be the first the page shows.
    const plain = await tab.page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return Array.from(document.querySelectorAll('.try code'), (code) => code.textContent ?? '').find((command) =>
        command.startsWith('send '),
      );
    });
    expect(plain).toBe('send --channel clock --data "12:00:00"');
    await type(plain ?? '');
    const first = await waitForPage(tab.page, 'the plain send', read, (seen) => seen.time === '12:00:00');
    expect(first).toEqual({ time: '12:00:00', via: 'message', updates: 1 });

    await type(await commandOn(tab.page, /^every 1s /));
    const ticking = await waitForPage(tab.page, 'two ticks', read, (seen) => seen.updates >= 3);
    await type('stop all');
    expect(ticking.via).toBe('tick');
    expect(ticking.time).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(tab.scriptErrors).toEqual([]);
    await tab.page.close();
  },
};

/** cl-sse's reconnect, on /events/reconnect: its ids start at 1, nothing of the textarea's. */
const reconnect: LessonStep = {
  name: 'reconnect (cl-sse)',
  async run({ open, type }) {
    const tab = await open('reconnect');
    const read = async (page: Page) => ({
      verdict: await page.getAttribute('#verdict', 'data-verdict'),
      ids: await text(page, 'ids'),
      reconnects: Number(await text(page, 'reconnects')),
      received: Number(await text(page, 'received')),
      oldest: await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const rows = Array.from(document.querySelectorAll('#log li[data-kind="event"]'));
        const row = rows.at(-1);
        return row === undefined
          ? ''
          : Array.from(row.childNodes)
              .filter((node) => node.nodeType === 3)
              .map((node) => node.textContent)
              .join('');
      }),
    });
    // The page suggests retry 500 to shorten the wait; it reaches this channel too.
    await type('retry 500');
    await type(await commandOn(tab.page, /^every 500ms /));
    const first = await waitForPage(tab.page, 'the first event', read, (seen) => seen.received >= 1);
    expect(first.oldest).toBe('#1 · tick 1');
    await waitForPage(tab.page, 'a reconnect', read, (seen) => seen.reconnects >= 1 && seen.received >= 12, 30_000);
    await type('stop all');
    const done = await read(tab.page);
    expect(done.verdict).toBe('ok');
    expect(done.ids).toMatch(/^1–\d+$/);
    expect(done.oldest).toBe('#1 · tick 1');
    expect(tab.scriptErrors).toEqual([]);
    await tab.page.close();
  },
};

/** clack-sse's named events, on /events/custom-event: neither column gets another demo's events. */
const customEvents: LessonStep = {
  name: 'custom events (clack-sse)',
  async run({ open, type }) {
    const tab = await open('custom-event');
    const columns = async (page: Page) => ({
      custom: await page.locator('#custom-log li').allTextContents(),
      message: await page.locator('#message-log li').allTextContents(),
    });
    await type(await commandOn(tab.page, /--event my-custom-event/));
    // Replay comes before live events on a connection: once this one is here, any replay would be too.
    const named = await waitForPage(tab.page, 'the named event', columns, (seen) => seen.custom.length === 1);
    expect(named.message).toEqual([]);
    expect(named.custom[0]).toMatch(/Hello World! 1$/);
    await type(await commandOn(tab.page, /^send --channel custom-event --data /));
    const plain = await waitForPage(tab.page, 'the plain event', columns, (seen) => seen.message.length === 1);
    expect(plain.message[0]).toMatch(/Hello World! 2$/);
    expect(plain.custom).toHaveLength(1);
    expect(tab.scriptErrors).toEqual([]);
    await tab.page.close();
  },
};

interface LimitsRow {
  readonly state: string;
  readonly connection: string;
}

/** The limits page: 6 streams open and 2 CONNECTING; `close N` as the page says frees one for stream 7. */
const limits: LessonStep = {
  name: 'connection limit',
  async run({ browser, pagesUrl, tmux, type }) {
    const page = await browser.newPage();
    await page.goto(new URL('limits', pagesUrl).href, { timeout: 30_000 });
    const rows = (tab: Page): Promise<LimitsRow[]> =>
      tab.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return Array.from(document.querySelectorAll('#stream-rows tr'), (row) => ({
          state: row.dataset.state ?? '',
          connection: row.dataset.connection ?? '',
        }));
      });
    const stalled = await waitForPage(
      page,
      '6 open streams with their numbers and 2 CONNECTING',
      rows,
      (seen) =>
        seen.length === 8 &&
        seen.slice(0, 6).every((row) => row.state === 'open' && row.connection !== '') &&
        seen.slice(6).every((row) => row.state === 'connecting'),
      30_000,
    );
    const numbers = stalled.slice(0, 6).map((row) => Number(row.connection));
    // Earlier demos used the first numbers: the page's stream 1 is not connection #1.
    expect(numbers[0]).toBeGreaterThan(6);
    expect(stalled.slice(6).map((row) => row.connection)).toEqual(['', '']);

    // conns, in the 80×24 TUI, lists the numbers the page shows.
    await type('conns');
    const screen = await tmux.waitForScreen('conns to list the page’s connections', (now) =>
      numbers.every((number) => new RegExp(`(^|\\s)#${number}\\b`, 'm').test(now)),
    );
    expect(screen).toMatch(/limits/);

    const close = await text(page, 'close-command');
    expect(close).toBe(`close ${numbers[0]}`);
    expect(await text(page, 'close-stream')).toBe('1');
    await type(close);
    // As the page says: stream 7 opens on the freed connection, stream 1 queues behind 8.
    const freed = await waitForPage(
      page,
      'stream 7 to open and stream 1 to wait',
      rows,
      (seen) => seen[6]?.state === 'open' && seen[6].connection !== '' && seen[0]?.state === 'connecting',
      30_000,
    );
    expect(Number(freed[6]?.connection)).toBeGreaterThan(numbers[5] ?? 0);
    expect(freed[0]?.connection).toBe('');
    // The Try box follows: the next `close` it offers is stream 2's, and it works too.
    expect(await text(page, 'close-stream')).toBe('2');
    const next = await text(page, 'close-command');
    expect(next).toBe(`close ${numbers[1]}`);
    await type(next);
    await waitForPage(
      page,
      'stream 8 to open',
      rows,
      (seen) => seen[7]?.state === 'open' && seen[7].connection !== '',
      30_000,
    );

    // The restart line is how this console was started, and runs from where it was started.
    const restart = await page.getAttribute('[data-launch-args]', 'data-launch-args');
    expect(restart).toBe('--http2 --open limits');
    const line = (await page.textContent('[data-launch-args]')) ?? '';
    expect(line).toBe('node dist/bin/sse-console.js --http2 --open limits');
    expect(existsSync(join(projectRoot, 'dist/bin/sse-console.js'))).toBe(true);
    await page.close();
  },
};

/** The lesson, in the order it is taught. */
const LESSON: readonly LessonStep[] = [textareaWalkthrough, clock, reconnect, customEvents, limits];

describe('a lesson in one console', () => {
  it('runs the textarea walk-through, clock, reconnect, custom events and limits in order, each page showing only its own demo', async () => {
    const tui = startTuiInTmux([], { width: 80, height: 24 });
    suite.onCleanup(() => tui.close());
    const { tmux } = tui;
    const ready = await tmux.waitForScreen(
      'the console to start',
      (screen) => statusUrls(screen) !== undefined,
      20_000,
    );
    const urls = statusUrls(ready);
    if (urls === undefined) throw new Error(`no URLs on the status line:\n${ready}`);
    const browser = await suite.newContext();
    const lesson: Lesson = {
      tmux,
      pagesUrl: urls.pagesUrl,
      browser,
      open: (name) => openDemoTab(browser, new URL(name, urls.pagesUrl).href),
      type: (line) => typeCommand(tmux, line),
    };
    for (const step of LESSON) {
      try {
        await step.run(lesson);
      } catch (error) {
        throw new Error(
          `lesson step "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
          {
            cause: error,
          },
        );
      }
    }
  });
});
