import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ansiToHtml } from './support/ansi-to-html.js';
import { launchChromium, openDemoTab, waitForPage } from './support/browser.js';
import { projectRoot } from '../support/project-root.js';
import { requireE2eTools } from './support/required-tools.js';
import { startTuiInTmux, statusUrls, typeCommand, type TuiRun } from './support/tui-process.js';

// The README's picture: the real TUI (from tmux, colours kept) beside a real chromium tab.
// Every run makes it anew and checks what it shows and how it is laid out (measured in
// the page), and that the checked-in PNG has the same size; UPDATE_SCREENSHOT=1 writes it.

const screenshotPath = join(projectRoot, 'demo-pages', 'assets', 'console-screenshot.png');
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const updating = process.env.UPDATE_SCREENSHOT === '1';

let tui: TuiRun | undefined;
let browser: Browser | undefined;

// A missing tool fails every test, rather than marking them skipped.
beforeEach(() => {
  requireE2eTools();
});

afterEach(async () => {
  tui?.close();
  tui = undefined;
  await browser?.close();
  browser = undefined;
});

function compose(terminalHtml: string, tabPng: Buffer, tabUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; padding: 24px; background: #eef0f3; font-family: system-ui, sans-serif; display: flex; gap: 24px; align-items: flex-start; width: max-content; }
    .window { border-radius: 8px; overflow: hidden; box-shadow: 0 4px 18px rgba(0,0,0,.18); background: #fff; }
    .title { font-size: 13px; padding: 7px 12px; background: #d9dce1; color: #333; }
    .terminal .title { background: #2d2d2d; color: #ccc; }
    pre { margin: 0; padding: 10px 12px; background: #1e1e1e; color: #d4d4d4; font: 13px/1.3 'DejaVu Sans Mono', monospace; }
    img { display: block; }
  </style></head><body>
    <div class="window terminal"><div class="title">sse-console</div><pre>${terminalHtml}</pre></div>
    <div class="window"><div class="title">${tabUrl}</div><img src="data:image/png;base64,${tabPng.toString('base64')}" width="440"></div>
  </body></html>`;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the composed picture shows, measured in the page that rendered it. */
interface Screenshot {
  readonly png: Buffer;
  readonly terminal: Box;
  readonly tab: Box;
  /** The tab's picture as laid out, and its own pixel width (0 when it did not load). */
  readonly tabImage: Box;
  readonly tabImagePixels: number;
  /** The terminal's text, as the TUI drew it. */
  readonly terminalText: string;
  /** The text of the tab's event list when the tab was photographed. */
  readonly tabEvents: string;
}

/** A PNG's pixel size, from its IHDR chunk (the first, right after the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(pngSignature), 'a PNG signature').toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Runs the Racket steps in the TUI and three tabs, then composes the PNG and measures it. */
async function makeScreenshot(): Promise<Screenshot> {
  const run = (tui = startTuiInTmux([], { width: 104, height: 36 }));
  const { tmux } = run;
  const start = await tmux.waitForScreen('the status line', (screen) => statusUrls(screen) !== undefined, 30_000);
  const { pagesUrl } = statusUrls(start)!;
  const tabUrl = new URL('textarea', pagesUrl).href;

  browser = await launchChromium();
  // The user agent a desktop chromium sends, so that the connections pane shows "Chrome".
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
  const context = await browser.newContext({ viewport: { width: 560, height: 900 }, userAgent });
  const tab1 = await openDemoTab(context, tabUrl);
  await typeCommand(tmux, 'send --data "Hello World!"');
  await waitForPage(
    tab1.page,
    'the first event',
    (page) => page.inputValue('#events'),
    (text) => text === 'Hello World!\n',
  );
  await openDemoTab(context, tabUrl);
  await typeCommand(tmux, 'send --data "Hello World! (again)" --id');
  await waitForPage(
    tab1.page,
    'the second event',
    (page) => page.inputValue('#events'),
    (text) => text.startsWith('Hello World! (again)\n'),
  );
  await openDemoTab(context, tabUrl);
  await tmux.waitForScreen(
    'three connections and the stored event',
    (screen) => screen.includes('Connections (3)') && /^\s+1 message\s+Hello World! \(again\)/m.test(screen),
  );
  tmux.sendKeys(['send --event my-custom-event --data "try typing here"'], { literal: true });
  await tmux.waitForScreen('the typed command', (screen) => screen.includes('try typing here"'));

  await tab1.page.bringToFront();
  const tabEvents = await tab1.page.inputValue('#events');
  const tabPng = await tab1.page.screenshot({ fullPage: true });
  const terminal = ansiToHtml(tmux.capture({ escapes: true }).replace(/\n+$/, ''));
  const sheet = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
  await sheet.setContent(compose(terminal, tabPng, tabUrl));
  const box = async (selector: string): Promise<Box> => {
    const found = await sheet.locator(selector).boundingBox();
    expect(found, `${selector} is laid out`).not.toBeNull();
    return found ?? { x: 0, y: 0, width: 0, height: 0 };
  };
  return {
    png: await sheet.locator('body').screenshot(),
    terminal: await box('.terminal'),
    tab: await box('.window:not(.terminal)'),
    tabImage: await box('img'),
    // Without DOM types here: the image element's own width, 0 when the data URL did not decode.
    tabImagePixels: await sheet
      .locator('img')
      .evaluate((image) => (image as unknown as { readonly naturalWidth: number }).naturalWidth),
    terminalText: (await sheet.locator('pre').textContent()) ?? '',
    tabEvents,
  };
}

describe('the README screenshot', () => {
  it('shows the Racket walk-through: the TUI with three tabs and the stored event, beside the tab that got both events', async () => {
    const shot = await makeScreenshot();

    // The terminal: the TUI's panes and log as the steps left them, every line within its 104 columns.
    expect(shot.terminalText).toContain('Connections (3)');
    expect(shot.terminalText).toMatch(/^\s+1 message\s+Hello World! \(again\)/m);
    expect(shot.terminalText).toContain('send --event my-custom-event --data "try typing here"');
    for (const line of shot.terminalText.split('\n')) expect(line.length).toBeLessThanOrEqual(104);
    // The tab: both events, the newest first, in the picture beside the terminal.
    expect(shot.tabEvents).toBe('Hello World! (again)\nHello World!\n');
    expect(shot.tabImagePixels).toBeGreaterThan(0);

    // The layout: two windows side by side, top-aligned, neither empty, the tab's picture filling its window.
    expect(shot.terminal.width).toBeGreaterThan(700);
    expect(shot.terminal.height).toBeGreaterThan(450);
    expect(shot.tab.x).toBeGreaterThanOrEqual(shot.terminal.x + shot.terminal.width);
    expect(shot.tab.y).toBe(shot.terminal.y);
    expect(shot.tabImage.width).toBe(440);
    expect(shot.tabImage.height).toBeGreaterThan(300);
    expect(shot.tab.height).toBeGreaterThan(shot.tabImage.height);

    // The PNG is the whole sheet: both windows and the margins.
    const made = pngSize(shot.png);
    expect(Math.abs(made.width - (shot.tab.x + shot.tab.width + 24))).toBeLessThanOrEqual(1);
    expect(made.height).toBeGreaterThanOrEqual(Math.round(Math.max(shot.terminal.height, shot.tab.height)));

    if (updating) {
      mkdirSync(dirname(screenshotPath), { recursive: true });
      writeFileSync(screenshotPath, shot.png);
    }
    expect(
      existsSync(screenshotPath),
      `${screenshotPath} is missing: run UPDATE_SCREENSHOT=1 npx vitest run --project e2e test/e2e/screenshot.test.ts`,
    ).toBe(true);
    // The checked-in picture is of the same page: same size (a changed layout needs UPDATE_SCREENSHOT=1).
    expect(pngSize(readFileSync(screenshotPath)), 'the checked-in screenshot has the size of a fresh one').toEqual(
      made,
    );
  });
});
