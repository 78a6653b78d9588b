import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';

// `sse-console --repl`: a Node REPL with the library in scope drives the same stream the pages read.

const suite = useBrowserSuite();

describe('the library REPL (--repl)', () => {
  it('sse.sendNewEvent typed at the REPL reaches an open page, and is stored for the next one', async () => {
    // With --json, what the REPL prints arrives as {"type":"repl"} log lines.
    const running = await suite.startConsole(['--repl']);
    const context = await suite.newContext();
    const textareaUrl = new URL('textarea', running.pagesUrl).href;
    const textOf = (page: Page): Promise<string> => page.inputValue('#events');
    const tab1 = await openDemoTab(context, textareaUrl);
    await running.waitForRecord('#1 connected', (r) => r.type === 'connected' && r.conn === 1);

    let mark = running.records.length;
    running.send(`sse.sendNewEvent({ data: 'Hello from the REPL', id: true }).id`);
    const sent = await running.waitForRecord('the send', (r) => r.type === 'sent', { since: mark });
    expect(sent).toMatchObject({ id: 1, data: 'Hello from the REPL', connections: 1 });
    const result = await running.waitForRecord('the REPL result', (r) => r.type === 'repl', { since: mark });
    expect(result.text).toBe('1');
    await waitForPage(tab1.page, 'tab 1 to show the REPL event', textOf, (text) => text === 'Hello from the REPL\n');

    // The library's other names are bound too, and console commands run through run().
    mark = running.records.length;
    running.send(
      `[typeof createSse, typeof startSseServer, typeof encodeEvent, server.port > 0, sse.history.length].join(' ')`,
    );
    const bound = await running.waitForRecord('the bound names', (r) => r.type === 'repl', { since: mark });
    expect(bound.text).toBe("'function function function true 1'");
    mark = running.records.length;
    running.send(`run('send --data "from run()"')`);
    await running.waitForRecord('the command from run()', (r) => r.type === 'sent' && r.data === 'from run()', {
      since: mark,
    });
    await waitForPage(
      tab1.page,
      'tab 1 to show both events',
      textOf,
      (text) => text === 'from run()\nHello from the REPL\n',
    );

    // A mistake is the REPL's error line, and the console goes on.
    mark = running.records.length;
    running.send('sse.sendNewEvent({ event: "bad\\nname" })');
    const error = await running.waitForRecord('the REPL error', (r) => r.type === 'repl' && /Uncaught/.test(r.text), {
      since: mark,
    });
    expect(String(error.text)).toMatch(/Uncaught/);

    const tab2 = await openDemoTab(context, textareaUrl);
    await waitForPage(
      tab2.page,
      'tab 2 to be replayed the stored REPL event',
      textOf,
      (text) => text === 'Hello from the REPL\n',
    );
    expect(tab1.scriptErrors).toEqual([]);
    expect(tab2.scriptErrors).toEqual([]);
  });

  it('an empty line at the REPL is the Enter a lesson script waits for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-repl-lesson-'));
    suite.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'pause.txt');
    writeFileSync(file, 'wait enter\nsend --data "after Enter"\n');
    const running = await suite.startConsole(['--repl', '--script', file]);
    await running.waitForRecord('the wait for Enter', (r) => r.type === 'narration' && /^press Enter/.test(r.text));
    expect(running.recordsOfType('sent')).toEqual([]);
    running.send('');
    await running.waitForRecord('the send after Enter', (r) => r.type === 'sent' && r.data === 'after Enter');
    await running.waitForRecord('the script to finish', (r) => r.type === 'script' && r.state === 'finished');
  });
});
