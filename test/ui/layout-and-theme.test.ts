import { describe, expect, it } from 'vitest';
import { defaultTerminalRows, liveLayout } from '../../ui/layout.js';
import { colorEnabled, createTheme, logKindColors } from '../../ui/theme.js';

describe('liveLayout', () => {
  it('gives a roomy terminal the full panes', () => {
    expect(liveLayout(50)).toMatchObject({ connectionRows: 8, historyRows: 6 });
  });

  it('shrinks the panes so the live area stays shorter than the terminal', () => {
    // From 14 rows: below that the fixed rows alone (status, last answer, tour, hint, prompt, pane titles) fill it.
    for (let rows = 14; rows <= 60; rows += 1) {
      const layout = liveLayout(rows);
      // Status 2, last answer and tour 2, hint 1, prompt 1, and title + header + "more" for each pane.
      const live = 2 + 2 + 1 + 1 + (3 + layout.connectionRows) + (3 + layout.historyRows);
      expect(live, `${rows} rows`).toBeLessThan(rows);
      // Help: status 2, prompt 1, border 2, note 1.
      expect(2 + 1 + 2 + 1 + layout.helpRows, `${rows} rows`).toBeLessThan(rows);
    }
  });

  it('counts a status line that needs a row per URL (narrow terminals)', () => {
    for (let rows = 14; rows <= 60; rows += 1) {
      const layout = liveLayout(rows, 3);
      expect(3 + 2 + 1 + 1 + (3 + layout.connectionRows) + (3 + layout.historyRows), `${rows} rows`).toBeLessThan(rows);
      expect(3 + 1 + 2 + 1 + layout.helpRows, `${rows} rows`).toBeLessThan(rows);
    }
  });

  it('favours connections on a small terminal', () => {
    const layout = liveLayout(20);
    expect(layout.connectionRows).toBeGreaterThan(layout.historyRows);
  });

  it('assumes a default height when the output is not a terminal', () => {
    expect(liveLayout(undefined)).toEqual(liveLayout(defaultTerminalRows));
    expect(liveLayout(0)).toEqual(liveLayout(defaultTerminalRows));
  });
});

describe('colour', () => {
  it('is on unless NO_COLOR is set to something', () => {
    const terminal = { isTTY: true, getColorDepth: () => 8 };
    expect(colorEnabled({}, terminal)).toBe(true);
    expect(colorEnabled({ NO_COLOR: '' }, terminal)).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' }, terminal)).toBe(false);
    expect(colorEnabled({}, { isTTY: false })).toBe(false);
  });

  it('gives no colour to any log kind when off', () => {
    const on = createTheme(true);
    const off = createTheme(false);
    expect(on.color(logKindColors.error)).toEqual({ color: 'red' });
    for (const color of Object.values(logKindColors)) expect(off.color(color)).toEqual({});
  });
});
