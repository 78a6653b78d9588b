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
// Rewritten only with UPDATE_SCREENSHOT=1; otherwise the test checks it is there.

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

/** Runs the Racket steps in the TUI and three tabs, then writes the composed PNG. */
async function remakeScreenshot(): Promise<void> {
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
  const tabPng = await tab1.page.screenshot({ fullPage: true });
  const terminal = ansiToHtml(tmux.capture({ escapes: true }).replace(/\n+$/, ''));
  const sheet = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
  await sheet.setContent(compose(terminal, tabPng, tabUrl));
  const png = await sheet.locator('body').screenshot();
  mkdirSync(dirname(screenshotPath), { recursive: true });
  writeFileSync(screenshotPath, png);
}

describe('the README screenshot', () => {
  it('is in demo-pages/assets (remade first when UPDATE_SCREENSHOT=1)', async () => {
    if (updating) await remakeScreenshot();
    expect(
      existsSync(screenshotPath),
      `${screenshotPath} is missing: run UPDATE_SCREENSHOT=1 npx vitest run --project e2e test/e2e/screenshot.test.ts`,
    ).toBe(true);
    const png = readFileSync(screenshotPath);
    expect(png.subarray(0, 8).equals(pngSignature)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
  });
});
