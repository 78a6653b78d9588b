import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { ConsoleSnapshot } from '../../core/app/console/types.js';
import type { ConnectionInfo, HistoryRecord } from '../../core/stream/types.js';
import { emptyConnectionsHint } from '../../ui/panes/connections-pane.js';
import { fitCell } from '../../core/app/text/columns.js';
import { connectionPaneRows, historyPaneRows } from '../../ui/panes/pane-rows.js';
import { statusRows, urlsFitOneRow } from '../../ui/panes/status-line.js';
import { connectionInfo } from './connection-info.js';
import { consoleScreenFor } from './console-screen-text.js';

// The panes at the sizes real terminals have: 80 and 60 columns, wide characters.

function connection(id: number, overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return connectionInfo(id, { path: '/events?last=3', lastEventIdRequested: '3', ...overrides });
}

function record(id: number, data: string, event?: string): HistoryRecord {
  return { id, data, ...(event === undefined ? {} : { event }), storedAt: new Date(2024, 0, 2, 9, 5, 7).getTime() };
}

describe('fitCell with wide characters', () => {
  it('pads and cuts by display columns', () => {
    expect(fitCell('漢字', 6)).toBe('漢字  ');
    expect(stringWidth(fitCell('漢字漢字漢字', 6))).toBe(6);
    expect(fitCell('漢字漢字漢字', 6)).toMatch(/…\s*$/);
    expect(stringWidth(fitCell('🎉🎉🎉🎉', 5, 'right'))).toBe(5);
  });
});

describe('history pane rows with CJK and emoji data', () => {
  it('keeps the time column at the end of every row, at 80 and 60 columns', () => {
    const history = [
      record(1, '漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字'),
      record(2, '🎉'.repeat(60), '事件'),
    ];
    for (const width of [80, 60]) {
      const pane = historyPaneRows(history, width, 6);
      for (const row of pane.rows) {
        expect(stringWidth(row.text), `${width}: ${row.text}`).toBeLessThanOrEqual(width);
        expect(row.text, `${width}`).toMatch(/ 09:05:07$/);
      }
    }
  });
});

describe('connection pane columns by priority', () => {
  it('leaves out the remote address first, at 80 columns', () => {
    const pane = connectionPaneRows([connection(1)], 1_012_000, 80, 8);
    expect(pane.header).toMatch(/^# +client +path +last-id +age +events +buffered$/);
    expect(pane.rows[0]?.text).toMatch(/^#1 +Firefox 128 +\/events\?last=3 +3 +12s +3 +0 B$/);
    expect(stringWidth(pane.rows[0]?.text ?? '')).toBeLessThanOrEqual(80);
  });

  it('keeps id, path, last id, events and age at 60 columns', () => {
    const pane = connectionPaneRows([connection(1, { slow: true })], 1_012_000, 60, 8);
    expect(pane.header).toMatch(/^# +path +last-id +age +events$/);
    expect(pane.rows[0]?.text).toMatch(/^#1 +\/events\?last=3 +3 +12s +3 +SLOW$/);
    expect(stringWidth(pane.rows[0]?.text ?? '')).toBeLessThanOrEqual(60);
  });
});

describe('URLs the user copies are never cut', () => {
  const sseUrl = 'http://127.0.0.1:8122/events';
  const snapshot: ConsoleSnapshot = {
    sseUrl,
    pagesUrl: 'http://127.0.0.1:8080/',
    connections: [],
    connectionsSeen: 0,
    history: [],
    nextId: 1,
    jobs: [],
    respondPolicy: '200 (stream)',
    raw: false,
    screen: consoleScreenFor(sseUrl),
    version: 0,
  };
  const hint = (width: number, seen = 0): string[] =>
    emptyConnectionsHint(consoleScreenFor(sseUrl, { connectionsSeen: seen }).connections, width);

  it('puts the pages URL on its own row when both do not fit', () => {
    expect(urlsFitOneRow(snapshot.screen, 80)).toBe(true);
    expect(statusRows(snapshot, 80)).toBe(2);
    expect(urlsFitOneRow(snapshot.screen, 60)).toBe(false);
    // Two URL rows, and the facts (66 columns) in two rows rather than cut.
    expect(statusRows(snapshot, 60)).toBe(4);
  });

  it('gives the curl command a row of its own when the hint does not fit', () => {
    for (const width of [120, 80, 60]) {
      const lines = hint(width);
      for (const line of lines) expect(stringWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(lines.join('\n'), `${width}`).toContain(`curl -N ${snapshot.sseUrl}`);
    }
    expect(hint(80)).toHaveLength(2);
  });

  it('says "none now", not "none yet", once connections came and went', () => {
    expect(hint(120)[0]).toMatch(/^ {2}none yet/);
    expect(hint(120, 1)[0]).toMatch(/^ {2}none now \(the one connection closed\)/);
    const again = hint(80, 3);
    expect(again[0]).toMatch(/^ {2}none now \(all 3 closed\)/);
    expect(again.join('\n')).toContain(`curl -N ${snapshot.sseUrl}`);
    for (const line of again) expect(stringWidth(line)).toBeLessThanOrEqual(80);
  });
});
