import { afterEach, describe, expect, it } from 'vitest';
import { startRedisServer } from '../../bench/harness/redis-server.js';
import { startTuiInTmux, typeCommand, type TuiRun } from './support/tui-process.js';
import { useBrowserSuite } from './support/browser-suite.js';
import { waitForPage } from './support/browser.js';

// Two line-mode consoles with --redis on one real redis-server share one stream: a
// Chromium tab on console 1's stream gets what console 2 sends; `history` on console 1
// lists it; with Redis stopped, `send --id` is answered with an error and the console goes on.

const suite = useBrowserSuite();

let tui: TuiRun | undefined;
afterEach(() => {
  tui?.close();
  tui = undefined;
});

interface TabGlobals {
  received: { data: string; id: string }[];
  EventSource: new (url: string) => { onmessage: ((event: { data: string; lastEventId: string }) => void) | null };
}

describe('sse-console --redis', () => {
  it('two consoles share one stream: send in one reaches the tab of the other; history shows the shared log', async () => {
    const redis = await startRedisServer();
    suite.onCleanup(() => redis.dispose());
    const first = await suite.startConsole(['--redis', redis.url]);
    const second = await suite.startConsole(['--redis', redis.url]);

    const context = await suite.newContext();
    const page = await context.newPage();
    await page.goto(first.pagesUrl, { waitUntil: 'load' });
    await page.evaluate((url) => {
      const tab = globalThis as unknown as TabGlobals;
      tab.received = [];
      const source = new tab.EventSource(url);
      source.onmessage = (event) => tab.received.push({ data: event.data, id: event.lastEventId });
    }, first.sseUrl);
    await first.waitForRecord('the tab to connect', (record) => record.type === 'connected');

    second.send('send --data "from the second console" --id');
    const [event] = await waitForPage(
      page,
      'the tab on console 1 to receive the event sent on console 2',
      () => page.evaluate(() => (globalThis as unknown as TabGlobals).received),
      (received) => received.length > 0,
    );
    expect(event?.data).toBe('from the second console');
    // The id is the log's (epoch-entry), the same on every process.
    expect(event?.id).toMatch(/^[0-9a-f]+-\d+-\d+$/);

    // Both consoles log the event as their stream sends it from the shared log.
    for (const proc of [first, second]) {
      await proc.waitForRecord(
        'the sent line',
        (record) => record.type === 'sent' && record.data === 'from the second console',
      );
    }

    const since = first.records.length;
    first.send('history');
    const row = await first.waitForRecord(
      'the history row on console 1',
      (record) => record.type === 'output' && (record.text ?? '').includes('from the second console'),
      { since },
    );
    expect(String(row.text).startsWith(event?.id ?? '?')).toBe(true);

    await redis.stop();
    const before = second.records.length;
    second.send('send --data "while redis is down" --id');
    const refused = await second.waitForRecord('the error for send --id', (record) => record.type === 'error', {
      since: before,
    });
    expect(String(refused.text)).toMatch(
      /^event not sent: the redis store could not keep it \(Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable .*\); nothing was sent or stored\. Send without --id to send it unstored/,
    );
    second.send('send --data "not stored, still sent"');
    await second.waitForRecord(
      'an unstored send after the error',
      (record) => record.type === 'sent' && record.data === 'not stored, still sent',
      { since: before },
    );
    expect(second.exit).toBeUndefined();
  }, 60_000);

  it('the TUI on Redis names the store on its status line and shows the shared log', async () => {
    const redis = await startRedisServer();
    suite.onCleanup(() => redis.dispose());
    const other = await suite.startConsole(['--redis', redis.url]);
    other.send('send --data "stored by the other console" --id');
    await other.waitForRecord('the other console to store it', (record) => record.type === 'sent');

    // The first command after the start is sent here too: the feed is running by then.
    const third = await suite.startConsole(['--redis', redis.url]);
    third.send('send --data "right after the start" --id');
    await third.waitForRecord(
      'the sent line of an event stored right after the start',
      (record) => record.type === 'sent' && record.data === 'right after the start',
    );

    tui = startTuiInTmux(['--redis', redis.url]);
    const { tmux } = tui;
    // The log is read from Redis once the TUI is up: the count follows that read.
    const start = await tmux.waitForScreen(
      'the status line with the shared log',
      (screen) => /0 connections · 2 stored · 0 jobs · store redis/.test(screen),
      30_000,
    );
    expect(start).toContain('stored by the other console');
    await typeCommand(tmux, 'send --data "from the TUI" --id');
    await other.waitForRecord(
      'the event typed in the TUI to reach the other console',
      (record) => record.type === 'sent' && record.data === 'from the TUI',
    );
    await tmux.waitForScreen('two stored', (screen) => /3 stored · 0 jobs · store redis/.test(screen));
  }, 60_000);
});
