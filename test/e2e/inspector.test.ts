import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage, waitForState } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { startLocalServer } from './support/http-server.js';
import { waitFor } from '../support/wait.js';
import type { PageGlobals } from './support/page-dom.js';

// The inspector under `respond 204`: a non-200 answer closes EventSource for good.

const suite = useBrowserSuite();

interface Row {
  readonly type: string;
  readonly readyState: string | undefined;
  readonly data: string;
}

/** The events table, oldest first, and the readyState changes, oldest first. */
function inspect(page: Page): Promise<{ rows: Row[]; states: string[]; button: string }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const rows = Array.from(document.querySelectorAll('#log-body tr'))
      .reverse()
      .map((row) => ({
        type: row.dataset.type ?? '',
        readyState: row.dataset.readyState,
        data: row.querySelector('td.data')?.textContent ?? '',
      }));
    const states = Array.from(document.querySelectorAll('#ready-states li'))
      .reverse()
      .map((li) => li.dataset.readyState ?? '');
    const button = document.getElementById('toggle-connection')?.dataset.action ?? '';
    return { rows, states, button };
  });
}

const closedForGood = (row: Row): boolean => row.type === 'error' && row.readyState === '2';

/**
Opens, in a new tab, an EventSource whose stream sets `retry: 300` and ends at once, and
resolves after it has reconnected `times` times: a positive sign that that many retry
times have passed on Chromium's reconnection clock (which tests cannot move). `watched`
stays the front tab, so that if either is slowed as a background tab it is the control,
which then only waits longer.
*/
async function controlReconnects(watched: Page, times: number): Promise<void> {
  let requests = 0;
  const control = await startLocalServer((req, res) => {
    if (req.url !== '/control') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>control</title>');
      return;
    }
    requests += 1;
    res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end('retry: 300\ndata: x\n\n');
  });
  suite.onCleanup(() => control.close());
  const tab = await watched.context().newPage();
  await tab.goto(`${control.origin}/`);
  await tab.evaluate(() => {
    const { EventSource } = globalThis as unknown as { EventSource: new (url: string) => { close(): void } };
    Object.assign(globalThis, { control: new EventSource('/control') });
  });
  await watched.bringToFront();
  await waitFor(() => requests > times, `the control stream's ${times} reconnections`, 15_000, 20);
  await tab.close();
}

describe('the inspector page', () => {
  it('shows an error with readyState 2 and stops reconnecting while the stream answers 204', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const { page, scriptErrors } = await openDemoTab(context, new URL('inspector', running.pagesUrl).href);
    await running.waitForRecord('#1 connected', (r) => r.type === 'connected' && r.conn === 1);

    // A short reconnection time, so that a browser that did retry would do so at once.
    running.send('retry 300');
    await running.waitForRecord('the retry block', (r) => r.type === 'sent' && r.retry === 300);
    running.send('respond 204');
    await running.waitForRecord('the respond answer', (r) => r.type === 'output' && /answered 204/.test(r.text));
    running.send('close all');

    const closed = await waitForPage(page, 'an error with readyState 2', inspect, (seen) =>
      seen.rows.some(closedForGood),
    );
    const errors = closed.rows.filter((row) => row.type === 'error');
    // First the dropped stream (0: will reconnect), then the 204 to the reconnection (2: gives up).
    expect(errors.map((row) => row.readyState)).toEqual(['0', '2']);
    expect(errors[1]?.data).toMatch(/^readyState 2 \(CLOSED\)/);
    expect(closed.states).toEqual(['0', '1', '0', '2']);
    expect(closed.button).toBe('reopen');
    expect(await page.textContent('#toggle-connection')).toBe('Reopen');
    await waitForState(page, 'closed');
    const refused = await running.waitForRecord('the 204 refusal', (r) => r.type === 'refused');
    expect(refused).toMatchObject({ status: 204, path: '/events/inspector' });

    // Closed for good: no request reaches the stream again. The witness is a control
    // EventSource in the same browser with the same retry time, whose stream ends at once:
    // once it has reconnected twice, two retry times have passed on Chromium's own clock.
    const quiet = running.records.length;
    await controlReconnects(page, 2);
    // A round trip through the console, so a request that reached it before is logged before this.
    running.send('retry 300');
    await running.waitForRecord('the round trip', (r) => r.type === 'sent' && r.retry === 300, { since: quiet });
    expect(running.records.slice(quiet).filter((r) => r.type === 'connected' || r.type === 'refused')).toEqual([]);
    expect((await inspect(page)).states).toEqual(['0', '1', '0', '2']);

    // Reopen while still 204: a new EventSource, refused at once, closed again.
    await page.click('#toggle-connection');
    await running.waitForRecord('the second refusal', (r) => r.type === 'refused', { since: quiet });
    await waitForPage(
      page,
      'the second readyState 2 error',
      inspect,
      (seen) => seen.rows.filter(closedForGood).length === 2,
    );
    await waitForState(page, 'closed');

    // respond reset, then Reopen: streaming again.
    running.send('respond reset');
    await running.waitForRecord('the reset answer', (r) => r.type === 'output' && /normally again/.test(r.text));
    const reopened = running.records.length;
    await page.click('#toggle-connection');
    await waitForState(page, 'open');
    await running.waitForRecord('#2 connected', (r) => r.type === 'connected' && r.conn === 2, { since: reopened });
    const open = await inspect(page);
    expect(open.rows.at(-1)).toMatchObject({ type: 'open', readyState: '1' });
    expect(open.button).toBe('close');

    running.send('send --channel inspector --data "back" --id');
    const back = await waitForPage(
      page,
      'the event after reopening',
      inspect,
      (seen) => seen.rows.at(-1)?.type === 'message',
    );
    expect(back.rows.at(-1)?.data).toBe('back');
    expect(scriptErrors).toEqual([]);
  });
});
