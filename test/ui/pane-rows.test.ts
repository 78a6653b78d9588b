import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../core/stream/types.js';
import { connectionRows } from '../../core/app/console/format.js';
import { fitCell, layoutRow } from '../../core/app/text/columns.js';
import { connectionPaneRows, historyPaneRows } from '../../ui/panes/pane-rows.js';
import { connectionInfo as connection } from './connection-info.js';

function record(id: number, data: string, event?: string): HistoryRecord {
  return { id, data, ...(event === undefined ? {} : { event }), storedAt: new Date(2024, 0, 2, 9, 5, 7).getTime() };
}

describe('fitCell and layoutRow', () => {
  it('pads or cuts to the width', () => {
    expect(fitCell('abc', 5)).toBe('abc  ');
    expect(fitCell('abc', 5, 'right')).toBe('  abc');
    expect(fitCell('abcdef', 4)).toBe('abc…');
    expect(fitCell('abc', 0)).toBe('');
  });

  it('gives the rest column what the fixed ones leave', () => {
    const columns = [
      { title: 'a', width: 3 },
      { title: 'b', width: 'rest' },
      { title: 'c', width: 2 },
    ] as const;
    expect(layoutRow(['1', 'middle', 'z'], columns, 30)).toBe(`1   middle${' '.repeat(17)} z`);
    expect(layoutRow(['1', 'middle', 'z'], columns, 30)).toHaveLength(29);
  });
});

describe('connectionPaneRows', () => {
  it('shows id, remote address, client, path, last id, age, events, buffered bytes', () => {
    const pane = connectionPaneRows(
      [connection(1, { lastEventIdRequested: '7', bufferedBytes: 2048 })],
      1_000_000 + 12_000,
      100,
      8,
    );
    expect(pane.header).toMatch(/^# +remote +client +path +last-id +age +events +buffered$/);
    const [row] = pane.rows;
    expect(row?.text).toMatch(/^#1 +127\.0\.0\.1:50001 +Firefox 128 +\/events +7 +12s +3 +2\.0 KiB$/);
    expect(row?.slow).toBe(false);
    expect(pane.hidden).toBe(0);
  });

  it('flags slow connections and brackets IPv6 addresses', () => {
    const pane = connectionPaneRows([connection(2, { slow: true, remoteAddress: '::1' })], 1_000_000, 100, 8);
    expect(pane.rows[0]?.text).toContain('[::1]:50002');
    expect(pane.rows[0]?.text).toMatch(/SLOW$/);
    expect(pane.rows[0]?.slow).toBe(true);
  });

  it('reads the same as a `conns` row: one connectionCells for both tables', () => {
    const ipv6 = connection(3, { remoteAddress: '::1', lastEventIdRequested: '7', bufferedBytes: 2048, slow: true });
    const now = 1_000_000 + 75_000;
    const [, conns] = connectionRows([ipv6], now);
    const pane = connectionPaneRows([ipv6], now, 120, 8).rows[0]?.text ?? '';
    for (const shared of ['#3', '[::1]:50003', '/events', '7', '1m15s', '3', '2.0 KiB', 'SLOW']) {
      expect(conns).toContain(shared);
      expect(pane).toContain(shared);
    }
  });

  it('keeps the newest rows and counts the rest', () => {
    const connections = Array.from({ length: 11 }, (_, index) => connection(index + 1));
    const pane = connectionPaneRows(connections, 1_000_000, 100, 8);
    expect(pane.rows.map((row) => row.id)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(pane.hidden).toBe(3);
    expect(connectionPaneRows(connections, 1_000_000, 100, 0).rows).toEqual([]);
  });

  it('shows control characters in client-sent values instead of sending them to the terminal', () => {
    const pane = connectionPaneRows(
      [connection(1, { path: '/events?x=\u001B[2J', userAgent: '\u001B]0;pwned\u0007' })],
      1_000_000,
      200,
      8,
    );
    expect(pane.rows[0]?.text).not.toContain('\u001B');
    expect(pane.rows[0]?.text).toContain('\\x1b[2J');
  });

  it('never makes a row wider than the terminal when the columns fit', () => {
    const pane = connectionPaneRows([connection(1, { path: `/${'p'.repeat(300)}` })], 1_000_000, 100, 8);
    expect(pane.rows[0]?.text.length).toBeLessThanOrEqual(100);
  });
});

describe('historyPaneRows', () => {
  it('shows id, event type, a one-line data preview and the time', () => {
    const pane = historyPaneRows([record(1, 'Hello'), record(2, 'two\nlines\r\n', 'update')], 100, 6);
    expect(pane.header).toMatch(/^ +id +event +data +time$/);
    expect(pane.rows[0]?.text).toMatch(/^ +1 +message +Hello +09:05:07$/);
    expect(pane.rows[1]?.text).toMatch(/^ +2 +update +two␊lines␍␊ +09:05:07$/);
  });

  it('cuts long data to the column with an ellipsis', () => {
    const pane = historyPaneRows([record(1, 'x'.repeat(500))], 100, 6);
    expect(pane.rows[0]?.text).toMatch(/x… 09:05:07$/);
    expect(pane.rows[0]?.text.length).toBeLessThanOrEqual(100);
  });

  it('keeps the newest rows and counts the rest', () => {
    const history = Array.from({ length: 9 }, (_, index) => record(index + 1, `e${index + 1}`));
    const pane = historyPaneRows(history, 100, 6);
    expect(pane.rows.map((row) => row.id)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(pane.hidden).toBe(3);
  });
});
