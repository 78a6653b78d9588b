import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoTab, waitForPage } from './support/browser.js';
import { useBrowserSuite } from './support/browser-suite.js';
import type { PageGlobals } from './support/page-dom.js';

// The channels page: two EventSources, /events/news and /events/weather, each with its own events and replay.

const suite = useBrowserSuite();

/** Each column's events as "id:data", newest first, plus its count. */
function columns(page: Page): Promise<Record<'news' | 'weather', { count: string; rows: string[] }>> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const column = (name: string) => ({
      count: document.getElementById(`${name}-count`)?.textContent ?? '',
      rows: Array.from(document.querySelectorAll(`#${name}-log > li`)).map((row) => {
        const data = Array.from(row.childNodes)
          .filter((node) => node.nodeType === 3)
          .map((node) => node.textContent ?? '')
          .join('');
        return `${row.dataset.id ?? ''}:${data}`;
      }),
    });
    return { news: column('news'), weather: column('weather') };
  });
}

describe('the channels page', () => {
  it('each column receives only its channel events, and a new tab is replayed each channel log on its own', async () => {
    const running = await suite.startConsole();
    const context = await suite.newContext();
    const pageUrl = new URL('channels', running.pagesUrl).href;
    const tab1 = await openDemoTab(context, pageUrl);
    await running.waitForRecord('the two channel connections', () => running.recordsOfType('connected').length === 2);
    expect(
      running
        .recordsOfType('connected')
        .map((r) => [r.channel, r.path])
        .sort(),
    ).toEqual([
      ['news', '/events/news'],
      ['weather', '/events/weather'],
    ]);

    running.send('send --channel news --id "Extra! Extra!"');
    running.send('send --channel news --id "Read all about it"');
    running.send('send --channel weather --id "Sunny"');
    running.send('send --id "main stream only"');
    running.send('send --channel weather "not stored"');
    await waitForPage(
      tab1.page,
      'tab 1 to show both channels',
      columns,
      (seen) => seen.news.count === '2' && seen.weather.count === '2',
    );
    expect(await columns(tab1.page)).toEqual({
      news: { count: '2', rows: ['2:Read all about it', '1:Extra! Extra!'] },
      // An event without an id keeps the last id seen (EventSource's lastEventId is sticky).
      weather: { count: '2', rows: ['1:not stored', '1:Sunny'] },
    });

    // A second tab: each channel replays its own log (with its own ids), nothing from the other or from /events.
    const tab2 = await openDemoTab(context, pageUrl);
    await waitForPage(
      tab2.page,
      'tab 2 to be replayed both logs',
      columns,
      (seen) => seen.news.count === '2' && seen.weather.count === '1',
    );
    expect(await columns(tab2.page)).toEqual({
      news: { count: '2', rows: ['2:Read all about it', '1:Extra! Extra!'] },
      weather: { count: '1', rows: ['1:Sunny'] },
    });
    const replays = running.recordsOfType('replayed').map((r) => [r.channel, r.count, r.firstId, r.lastId]);
    expect(replays.sort()).toEqual([
      ['news', 2, 1, 2],
      ['weather', 1, 1, 1],
    ]);

    const mark = running.records.length;
    running.send('history --channel news');
    await running.waitForRecord('the news log', (r) => r.type === 'output' && r.text.includes('Read all about it'), {
      since: mark,
    });
    expect(tab1.scriptErrors).toEqual([]);
    expect(tab2.scriptErrors).toEqual([]);
  });
});
