import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchChromium } from './browser.js';
import { projectRoot } from '../../support/project-root.js';
import { startConsoleProcess, type ConsoleProcess, type ConsoleProcessOptions } from '../../support/console-process.js';
import { requireE2eTools } from './required-tools.js';

export interface BrowserSuite {
  /** A fresh context (its own cookies and connections); closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** The real binary in JSON line mode; stopped after the test, which asserts exit code 0. */
  startConsole(extraArgs?: readonly string[], options?: ConsoleProcessOptions): Promise<ConsoleProcess>;
  /** Runs `close` after the test, before the console stops (servers, sockets …). */
  onCleanup(close: () => unknown): void;
}

/**
Registers the hooks a browser test file needs: the tool check before every test,
chromium for the whole file, and
per test, contexts, console processes and other resources that are closed even
when the test fails.
*/
export function useBrowserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const consoles: ConsoleProcess[] = [];
  const cleanups: (() => unknown)[] = [];

  let launchError: unknown;

  // A missing tool fails every test (beforeEach), rather than marking them skipped.
  beforeAll(async () => {
    try {
      requireE2eTools();
      browser = await launchChromium();
    } catch (error) {
      launchError = error;
    }
  });

  beforeEach(() => {
    requireE2eTools();
    if (launchError !== undefined)
      throw launchError instanceof Error ? launchError : new Error('the browser did not start', { cause: launchError });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    const exitCodes = await Promise.all(consoles.splice(0).map((running) => running.stop()));
    for (const code of exitCodes) expect(code, 'sse-console exit code after SIGTERM').toBe(0);
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    async newContext(options = {}) {
      if (!browser) throw new Error('chromium did not start');
      const context = await browser.newContext(options);
      contexts.push(context);
      return context;
    },
    async startConsole(extraArgs = [], options = {}) {
      const running = await startConsoleProcess(extraArgs, { cwd: projectRoot, ...options });
      consoles.push(running);
      return running;
    },
    onCleanup(close) {
      cleanups.push(close);
    },
  };
}
