import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { PAGES } from '../../core/app/pages/page-list.js';

// Every command a page shows is readable whole (not cut, not scrolled out of sight) and
// its Copy button sits beside it, centred on it, at the widths a classroom uses.

const suite = useBrowserSuite();

/** The part of a DOM element this probe reads (the project compiles without lib "dom"). */
interface Box {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}
interface LaidOut {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly textContent: string | null;
  readonly nextElementSibling: LaidOut | null;
  readonly className: string;
  getBoundingClientRect(): Box;
}

interface CommandLayout {
  readonly text: string;
  /** How many pixels of the command are hidden (scrolled out of its box). */
  readonly hidden: number;
  /** Vertical distance between the centres of the command and its Copy button. */
  readonly offCentre: number;
  /** The button starts right of the command, on its row. */
  readonly beside: boolean;
}

function commandLayout(page: Page): Promise<CommandLayout[]> {
  return page.locator('pre.command').evaluateAll((nodes) =>
    (nodes as unknown as LaidOut[]).map((pre) => {
      const box = pre.getBoundingClientRect();
      const button = pre.nextElementSibling;
      const copy = button?.className === 'copy' ? button.getBoundingClientRect() : undefined;
      return {
        text: pre.textContent ?? '',
        hidden: pre.scrollWidth - pre.clientWidth,
        offCentre:
          copy === undefined ? Number.NaN : Math.abs((box.top + box.bottom) / 2 - (copy.top + copy.bottom) / 2),
        beside: copy !== undefined && copy.left >= box.right && copy.top < box.bottom && copy.bottom > box.top,
      };
    }),
  );
}

const layouts = [
  ...[1280, 800].flatMap((width) => ['index', ...PAGES.map((page) => page.name)].map((name) => ({ name, width }))),
  { name: 'index', width: 1000 },
];

describe('demo page layout', () => {
  it('shows every command whole, with its Copy button centred beside it, at 1280 and 800 px (and the index at 1000)', async () => {
    const running = await suite.startConsole();
    const problems: string[] = [];
    for (const { name, width } of layouts) {
      const context = await suite.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const scriptErrors: string[] = [];
      page.on('pageerror', (error) => scriptErrors.push(error.message));
      await page.goto(new URL(name === 'index' ? '' : name, running.pagesUrl).href, { timeout: 30_000 });
      // Laid out once the page's script has read /config.json and added the Copy buttons.
      await waitUntil({
        what: `${name}'s Copy buttons`,
        probe: async () => [await page.locator('pre.command').count(), await page.locator('button.copy').count()],
        done: ([commands, buttons]) => commands === buttons && (name === 'toggles' || (commands ?? 0) > 0),
      });
      const commands = await commandLayout(page);
      for (const command of commands) {
        const where = `${name} at ${width} px: ${command.text}`;
        if (command.hidden > 1) problems.push(`${where}: ${command.hidden} px cut off`);
        if (!(command.offCentre <= 2)) problems.push(`${where}: Copy button ${command.offCentre} px off centre`);
        if (!command.beside) problems.push(`${where}: Copy button not beside the command`);
      }
      expect(scriptErrors).toEqual([]);
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
