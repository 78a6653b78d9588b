import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireE2eTools } from './support/required-tools.js';
import type { TmuxSession } from './support/tmux.js';
import { startTuiInTmux, statusUrls, typeCommand, type TuiRun } from './support/tui-process.js';

// The real TUI at the sizes real terminals have (80×24, 60×20) and across a resize:
// every log row fits, starts with its time or the hanging indent, and wide characters
// do not push the panes' last column off the row.

let tui: TuiRun | undefined;

beforeEach(() => {
  requireE2eTools();
});

afterEach(() => {
  tui?.close();
  tui = undefined;
});

const wideData = `${'漢字'.repeat(22)}${'🎉'.repeat(4)}`;
const logRowStart = /^(\d\d:\d\d:\d\d( |$)| {9}\S)/;

/** The rows above the status line: the log, as the terminal shows it. */
function logRowsOf(screen: string): string[] {
  const lines = screen.split('\n');
  const status = lines.findIndex((line) => line.startsWith('SSE http'));
  return lines.slice(0, status < 0 ? lines.length : status).filter((line) => line.trim() !== '');
}

function isTidy(screen: string, width: number): boolean {
  const lines = screen.split('\n');
  const rows = logRowsOf(screen);
  return (
    lines.every((line) => stringWidth(line) <= width) &&
    rows.length > 0 &&
    rows.every((row) => logRowStart.test(row)) &&
    lines.filter((line) => line.startsWith('SSE http')).length === 1
  );
}

function expectTidy(screen: string, width: number): void {
  for (const line of screen.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
  const rows = logRowsOf(screen);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row, `a log row at ${width} columns:\n${screen}`).toMatch(logRowStart);
}

/** Like typeCommand, for a line the narrow prompt wraps: compares without the whitespace. */
async function typeLongCommand(tmux: TmuxSession, text: string): Promise<void> {
  const squeeze = (value: string): string => value.replace(/\s+/g, '');
  tmux.sendKeys([text], { literal: true });
  await tmux.waitForScreen(`the prompt to show ${JSON.stringify(text)}`, (screen) =>
    squeeze(screen).endsWith(squeeze(`› ${text}`)),
  );
  tmux.sendKeys(['Enter']);
}

async function runWideCommands(tmux: TmuxSession): Promise<string> {
  await tmux.waitForScreen('the status line', (screen) => screen.includes('pages http'), 30_000);
  await typeCommand(tmux, 'help send');
  await typeCommand(tmux, 'pages');
  await typeLongCommand(tmux, 'sendd --nonsense "a long argument that does not belong here"');
  await typeLongCommand(tmux, `send --data "${wideData}" --id`);
  return tmux.waitForScreen('the wide event stored', (screen) => /^\s+1 message\s.*\d\d:\d\d:\d\d$/m.test(screen));
}

describe('the TUI at real terminal sizes', () => {
  for (const size of [
    { width: 80, height: 24 },
    { width: 60, height: 20 },
  ]) {
    it(`keeps every row inside ${size.width}×${size.height}, the log in its columns and the URLs whole`, async () => {
      tui = startTuiInTmux([], size);
      const screen = await runWideCommands(tui.tmux);
      expectTidy(screen, size.width);
      // The stored CJK/emoji event keeps its last column (the time).
      expect(screen).toMatch(/^\s+1 message\s+漢字.*… \d\d:\d\d:\d\d$/m);
      // Both URLs and the curl command are whole.
      const sseUrl = /SSE (http:\/\/127\.0\.0\.1:\d+\/events)/.exec(screen)?.[1];
      expect(sseUrl).toBeDefined();
      expect(screen).toMatch(/pages http:\/\/127\.0\.0\.1:\d+\/$/m);
      expect(screen).toContain(`curl -N ${sseUrl}`);
    });
  }

  it('leaves a clean screen with the recent log after a resize from 120 to 70 columns and after the help overlay', async () => {
    tui = startTuiInTmux([], { width: 120, height: 30 });
    const { tmux } = tui;
    await tmux.waitForScreen('the status line', (screen) => statusUrls(screen) !== undefined, 30_000);
    await typeCommand(tmux, 'pages');
    await typeCommand(tmux, 'send --data "the last line before the resize"');
    await tmux.waitForScreen('the send', (screen) => screen.includes('sent "the last line before the resize"'));

    tmux.resize(70, 30);
    // The terminal reflows the old rows first; the console then redraws them at the new width.
    const resized = await tmux.waitForScreen(
      'the screen redrawn at 70 columns',
      (screen) => isTidy(screen, 70) && logRowsOf(screen).some((row) => row.includes('the last line')),
    );
    expectTidy(resized, 70);

    tmux.sendKeys(['?'], { literal: true });
    await tmux.waitForScreen('the help overlay', (screen) => screen.includes('Esc closes'));
    tmux.sendKeys(['Escape']);
    const closed = await tmux.waitForScreen(
      'the panes again',
      (screen) => !screen.includes('Esc closes') && screen.includes('Connections (0)'),
    );
    expect(logRowsOf(closed).join('\n')).toContain('the last line before the resize');
    expectTidy(closed, 70);
  });
});
