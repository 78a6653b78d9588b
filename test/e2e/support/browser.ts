import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, requireE2eTools } from './required-tools.js';
import { waitUntil } from '../../support/wait.js';
import type { PageGlobals } from './page-dom.js';

/** Headless Debian chromium with nothing that phones home or updates itself. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Launches chromium (a fresh, temporary profile every time). */
export async function launchChromium(): Promise<Browser> {
  requireE2eTools();
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], timeout: 30_000 });
}

/** A page plus the uncaught script errors it raised (a demo page should raise none). */
export interface DemoTab {
  readonly page: Page;
  readonly scriptErrors: string[];
}

/**
Opens `url` in a new tab of `context` and waits until its EventSource is open
(the `#state` badge every demo page keeps says `open`).
*/
export async function openDemoTab(context: BrowserContext, url: string): Promise<DemoTab> {
  const page = await context.newPage();
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await waitForState(page, 'open');
  return { page, scriptErrors };
}

/** Waits until the page's `#state` badge reads `state` (connecting, open or closed). */
export async function waitForState(
  page: Page,
  state: 'connecting' | 'open' | 'closed',
  timeoutMs?: number,
): Promise<void> {
  await waitUntil({
    what: `${page.url()} to show the stream ${state}`,
    probe: () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const badge = document.getElementById('state');
        const problem = document.getElementById('problem');
        return {
          state: badge?.dataset.state,
          text: badge?.textContent,
          problem: problem?.hidden ? '' : problem?.textContent,
        };
      }),
    done: (seen) => seen.state === state,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** Waits until `read(page)` gives a value `done` accepts; returns it. */
export async function waitForPage<T>(
  page: Page,
  what: string,
  read: (page: Page) => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs?: number,
): Promise<T> {
  return waitUntil({
    what: `${what} (${page.url()})`,
    probe: () => read(page),
    done,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
