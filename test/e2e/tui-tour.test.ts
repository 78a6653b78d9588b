import { request, type ClientRequest } from 'node:http';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireE2eTools } from './support/required-tools.js';
import { startTuiInTmux, statusUrls, typeCommand, type TuiRun } from './support/tui-process.js';

// A teacher's lesson in one 80×24 (or 60×24) terminal: the tour started with three tabs
// already open counts them, shows the command to type whole above the prompt, and
// `conns` lists one row per connection.

let tui: TuiRun | undefined;
const streams: ClientRequest[] = [];

beforeEach(() => {
  requireE2eTools();
});

afterEach(() => {
  for (const stream of streams.splice(0)) stream.destroy();
  tui?.close();
  tui = undefined;
});

/** Opens a stream as a browser tab would (its response stays open until the test ends). */
function openTab(sseUrl: string): void {
  const tab = request(sseUrl, {
    headers: {
      Accept: 'text/event-stream',
      'User-Agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
    },
  });
  tab.on('error', () => undefined);
  tab.end();
  streams.push(tab);
}

/** Screen rows with the runs of spaces squeezed, for matching wrapped text. */
const squeeze = (text: string): string => text.replace(/\s+/g, ' ');

describe('the tour and conns at real terminal sizes', () => {
  for (const width of [80, 60]) {
    it(`at ${width}×24: counts the open tabs, shows the command to type whole, and conns keeps one row per connection`, async () => {
      tui = startTuiInTmux([], { width, height: 24 });
      const { tmux } = tui;
      const first = await tmux.waitForScreen('the status line', (screen) => statusUrls(screen) !== undefined, 30_000);
      const { sseUrl } = statusUrls(first) ?? { sseUrl: '' };
      for (let tab = 0; tab < 3; tab += 1) openTab(sseUrl);
      await tmux.waitForScreen('three connections', (screen) => screen.includes('Connections (3)'));

      await typeCommand(tmux, 'tour');
      await typeCommand(tmux, 'send --data "Hello World!"');
      // Steps 1 and 3 are done already; step 4 asks for a command, shown whole above the prompt.
      const step4 = await tmux.waitForScreen('step 4 above the prompt', (screen) => /^tour 4\/6/m.test(screen));
      expect(step4).toMatch(/^tour 4\/6: Send an event with an id$/m);
      expect(step4).toMatch(/^ {2}Type: send --data "Hello World! \(again\)" --id$/m);
      for (const line of step4.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(width);

      await typeCommand(tmux, 'send --data "Hello World! (again)" --id');
      const step5 = await tmux.waitForScreen('step 5 above the prompt', (screen) => /^tour 5\/6/m.test(screen));
      expect(squeeze(step5)).toContain('All 3 tabs show it.');
      expect(squeeze(step5)).not.toContain('Both tabs');
      expect(step5).toMatch(/^tour 5\/6: Open a fourth tab$/m);
      expect(step5).not.toContain('third tab');

      await typeCommand(tmux, 'conns');
      const conns = await tmux.waitForScreen('the conns table', (screen) => /^\d\d:\d\d:\d\d CONN /m.test(screen));
      const lines = conns.split('\n');
      const header = lines.findIndex((line) => /^\d\d:\d\d:\d\d CONN /.test(line));
      const table = lines.slice(header, header + 4);
      expect(table[0]).toMatch(/^\d\d:\d\d:\d\d CONN +PATH +/);
      // One row per connection, each with its time: no row of the table was broken by the terminal.
      for (const [index, row] of table.slice(1).entries()) {
        expect(row, conns).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d #${index + 1} +/events `));
      }
      expect(lines[header + 4] ?? '', conns).not.toMatch(/^ {9}\S/);
      const pathAt = table[0]?.indexOf('PATH') ?? -1;
      for (const row of table.slice(1)) expect(row.slice(pathAt)).toMatch(/^\/events/);
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
    });
  }
});
