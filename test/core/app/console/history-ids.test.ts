import { describe, expect, it } from 'vitest';
import { historyRows } from '../../../../core/app/console/format.js';
import { describeLifecycle } from '../../../../core/app/console/lifecycle-log.js';
import { historyPaneRows } from '../../../../ui/panes/pane-rows.js';
import { stubConnection } from '../../stream/stub-connection.js';

const hostile = `evil\u001b]52;c;AAAA\u0007${'x'.repeat(200)}`;

describe('string ids in the console', () => {
  it('`history` shows a string id escaped and cut, beside numeric ones', () => {
    const rows = historyRows([
      { id: 'order-7f3a', data: 'a', storedAt: 0 },
      { id: hostile, data: 'b', storedAt: 0 },
      { id: 3, data: 'c', storedAt: 0 },
    ]);
    expect(rows[1]).toMatch(/^order-7f3a +message/);
    expect(rows[2]).not.toContain('\u001b');
    // Cut to 40 columns first (the marker says how much was left out), then escaped.
    expect(rows[2]).toMatch(/^evil\\x1b\]52;c;AAAA\\x07x+… \(182 more characters\) +message/);
    expect(rows[2]).not.toContain('x'.repeat(40));
    expect(rows[3]).toMatch(/^3 +message/);
  });

  it('the history pane cuts a string id to its column and keys rows by position (ids may repeat)', () => {
    const pane = historyPaneRows(
      [
        { id: 'abcdefghij', data: 'a', storedAt: 0 },
        { id: 'abcdefghij', data: 'b', storedAt: 0 },
      ],
      80,
      6,
    );
    expect(pane.rows.map((row) => row.id)).toEqual([1, 2]);
    expect(pane.rows[0]?.text).toMatch(/^abcde… +message +a/);
    expect(pane.rows[0]?.text).not.toContain('abcdefghij');
  });

  it('log lines quote string ids and escape what a terminal would act on', () => {
    const connection = {
      id: 1,
      remoteAddress: '127.0.0.1',
      remotePort: 1,
      userAgent: '',
      path: '/',
      lastEventIdRequested: 'a',
      connectedAt: 0,
      eventsSent: 0,
      bytesSent: 0,
      bufferedBytes: 0,
      slow: false,
    };
    const [replayed] = describeLifecycle(
      { type: 'replayed', connection: stubConnection, info: connection, count: 2, firstId: 'u-1', lastId: 7 },
      0,
      false,
    );
    expect(replayed?.text).toBe('#1 replayed 2 stored events (ids "u-1"–7)');
    const [gap] = describeLifecycle(
      { type: 'gap', connection: stubConnection, info: connection, requestedId: hostile, oldestId: 'c' },
      0,
      false,
    );
    expect(gap?.text).not.toContain('\u001b');
    expect(gap?.text).toContain('the events between them are gone');
    const [numericGap] = describeLifecycle(
      { type: 'gap', connection: stubConnection, info: connection, requestedId: 1, oldestId: 4 },
      0,
      false,
    );
    expect(numericGap?.text).toContain('ids 2–3 are gone');
  });
});
