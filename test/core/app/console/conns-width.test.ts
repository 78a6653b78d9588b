import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { connectionFieldPriority } from '../../../../core/app/console/connection-columns.js';
import { connectionRows } from '../../../../core/app/console/format.js';
import { startConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { connectionInfo } from '../../../ui/connection-info.js';
import { openRawStream, useCleanup, waitFor } from '../../stream/support.js';

// `conns` in the TUI: one row per connection at 80 and 60 columns (71 and 51 after
// the log's time), its columns left out by the connections pane's priorities; in
// line mode every column in full.

const cleanup = useCleanup();
const now = 1_012_000;
const connections = [
  connectionInfo(1, { protocol: 'h2', bytesSent: 123_456, bufferedBytes: 99_999, slow: true }),
  connectionInfo(12, { protocol: 'h1', path: '/events?stream=3', lastEventIdRequested: '42' }),
  connectionInfo(3, { protocol: 'h2', bytesSent: 2_048 }),
];

/** Where each header title starts: every row's cells start at the same columns. */
function starts(header: string): number[] {
  return [...header.matchAll(/\S+/g)].map((match) => match.index);
}

describe('conns fitted to the view', () => {
  for (const width of [71, 51]) {
    it(`at ${width} columns: a header and one row per connection, none wider, cells under their titles`, () => {
      const rows = connectionRows(connections, now, width);
      expect(rows).toHaveLength(1 + connections.length);
      for (const row of rows) expect(stringWidth(row), row).toBeLessThanOrEqual(width);
      const [header = '', ...body] = rows;
      expect(header).toMatch(/^CONN +PATH +(PROTO +)?LAST-ID/);
      const pathAt = header.indexOf('PATH');
      const lastIdAt = header.indexOf('LAST-ID');
      body.forEach((row, index) => {
        expect(row.startsWith(`#${connections[index]?.id ?? 0} `), row).toBe(true);
        expect(row.slice(pathAt)).toMatch(/^\/events/);
        expect(row.slice(lastIdAt)).toMatch(/^(-|42) /);
      });
      // The SLOW flag (priority 1) outlives everything but the id and path.
      expect(body[0]).toMatch(/ SLOW$/);
      expect(starts(header).length).toBeGreaterThanOrEqual(3);
    });
  }

  it('leaves columns out in the connections pane’s order: the address first, the last id late', () => {
    const titles = (width: number) => (connectionRows(connections, now, width)[0] ?? '').split(/ +/);
    const wide = titles(200);
    expect(wide).toEqual(['CONN', 'FROM', 'PATH', 'PROTO', 'LAST-ID', 'AGE', 'EVENTS', 'SENT', 'BUFFERED', 'AGENT']);
    const byPriority = {
      FROM: 'from',
      PROTO: 'protocol',
      'LAST-ID': 'lastEventId',
      AGE: 'age',
      EVENTS: 'events',
      SENT: 'sent',
      BUFFERED: 'buffered',
      AGENT: 'client',
    } as const;
    let previous = wide;
    for (let width = 120; width >= 30; width -= 1) {
      const shown = titles(width);
      const dropped = previous.filter((title) => !shown.includes(title));
      const kept = shown.filter((title) => title in byPriority);
      for (const title of dropped) {
        const priority = connectionFieldPriority[byPriority[title as keyof typeof byPriority]];
        for (const other of kept) {
          expect(
            connectionFieldPriority[byPriority[other as keyof typeof byPriority]],
            `${title} left before ${other} at ${width}`,
          ).toBeLessThan(priority);
        }
      }
      previous = shown;
    }
  });

  it('never splits a byte count: with room for SENT, the KiB figure is whole on the row of its connection', () => {
    const rows = connectionRows(connections, now, 100);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/ SENT /);
    expect(rows[1]).toMatch(/^#1 .* 120\.6 KiB +97\.7 KiB .*SLOW$/);
    expect(rows[3]).toMatch(/^#3 .* 2\.0 KiB /);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(100);
  });

  it('keeps the full row in line mode (no width)', () => {
    const rows = connectionRows(connections, now);
    expect(rows[0]).toMatch(/^CONN +FROM +PATH +PROTO +LAST-ID +AGE +EVENTS +SENT +BUFFERED +AGENT$/);
    expect(rows[1]).toContain('120.6 KiB');
    expect(rows[1]).toContain('97.7 KiB SLOW');
    expect(rows[1]).toContain('Mozilla/5.0 (X11; Linux x86_64; rv:128.0');
  });
});

describe('conns in the console', () => {
  it('lays its rows out to the width the view gave, and in full without one', async () => {
    const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
    cleanup(() => running.controller.dispose());
    const log: LogEntry[] = [];
    running.controller.onLog((entry) => log.push(entry));
    const port = Number(new URL(running.sseUrl).port);
    for (let tab = 0; tab < 3; tab += 1) {
      openRawStream(port, {
        path: '/events',
        headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0.0.0 Safari/537.36' },
        cleanup,
      });
    }
    await waitFor(() => running.sse.connections.length === 3, 'three streams');
    const conns = (): string[] => {
      const from = log.length;
      running.controller.execute('conns');
      return log
        .slice(from)
        .filter((entry) => entry.kind === 'output')
        .map((entry) => entry.text);
    };
    running.controller.setViewWidth(71);
    const fitted = conns();
    expect(fitted).toHaveLength(4);
    for (const row of fitted) expect(stringWidth(row), row).toBeLessThanOrEqual(71);
    expect(fitted[1]).toMatch(/Chrome 140/);
    running.controller.setViewWidth(undefined);
    const full = conns();
    expect(full[1]).toContain('Mozilla/5.0 (X11; Linux x86_64)');
    expect(stringWidth(full[1] ?? '')).toBeGreaterThan(71);
  });
});
