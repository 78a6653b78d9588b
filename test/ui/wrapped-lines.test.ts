import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { ConsoleSnapshot } from '../../core/app/console/types.js';
import { overlayHelpLines } from '../../ui/app.js';
import { helpOverlayChrome } from '../../ui/help/help-overlay.js';
import { tourRows } from '../../ui/panes/pinned-lines.js';
import { consoleScreenFor } from './console-screen-text.js';
import { factRows, statusRows } from '../../ui/panes/status-line.js';
import { consoleLanguage } from '../../core/app/console/console-language.js';

const { commands: COMMANDS, commandOverviewLines } = consoleLanguage;

// What the user must read whole at 80 and 60 columns: the command the tour asks for,
// the help overlay's descriptions and the status line's facts. They wrap; none is cut.

const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('the tour step above the prompt', () => {
  const step = {
    heading: 'tour 4/6: Send an event with an id',
    instruction: 'Type: send --data "Hello World! (again)" --id',
  };

  for (const width of [80, 60]) {
    it(`shows the command to type whole at ${width} columns`, () => {
      const rows = tourRows(step, width);
      for (const row of rows) expect(stringWidth(row), row).toBeLessThanOrEqual(width);
      expect(rows).toEqual([step.heading, `  ${step.instruction}`]);
    });
  }

  it('wraps an instruction longer than the row, keeping every word', () => {
    const long = {
      heading: 'tour 6/6: Miss an event, get it back on reconnect',
      instruction: 'Type: send --data "sent while you were away" --id   (before the tabs come back)',
    };
    const rows = tourRows(long, 60);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(60);
    expect(rows[1]).toBe('  Type: send --data "sent while you were away" --id');
    expect(squeeze(rows.slice(1).join(' '))).toBe(squeeze(long.instruction));
  });

  it('stays one row when it fits', () => {
    expect(
      tourRows({ heading: 'tour 2/6: Send an event without an id', instruction: 'Type: send --data "Hi"' }, 120),
    ).toEqual(['tour 2/6: Send an event without an id · Type: send --data "Hi"']);
  });
});

describe('the help overlay', () => {
  for (const width of [80, 60]) {
    it(`wraps the command descriptions inside its border at ${width} columns`, () => {
      const inner = width - helpOverlayChrome;
      const lines = overlayHelpLines(commandOverviewLines, inner);
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(inner);
      const text = squeeze(lines.join(' '));
      for (const spec of COMMANDS) expect(text).toContain(squeeze(spec.summary));
    });
  }
});

describe('the status line', () => {
  const snapshot: ConsoleSnapshot = {
    sseUrl: 'http://127.0.0.1:8122/events',
    pagesUrl: 'http://127.0.0.1:8080/',
    connections: [],
    history: [],
    nextId: 1,
    jobs: [],
    respondPolicy: '200 (stream)',
    raw: false,
    logFilter: 'filter connect disconnect',
    screen: consoleScreenFor('http://127.0.0.1:8122/events'),
    version: 0,
  };

  it('wraps its facts rather than cutting the filter at 80 columns', () => {
    const facts = [
      '3 connections',
      '1 stored, next id 2',
      '0 jobs',
      'respond 200 (stream)',
      'filter connect disconnect',
    ];
    const rows = factRows(facts, 80);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(80);
    expect(rows).toEqual([
      '3 connections · 1 stored, next id 2 · 0 jobs · respond 200 (stream)',
      'filter connect disconnect',
    ]);
    expect(statusRows(snapshot, 80)).toBe(3);
  });
});
