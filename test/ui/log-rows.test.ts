import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { logRows, timeColumns } from '../../ui/log/log-rows.js';

const joined = (rows: ReturnType<typeof logRows>): string[] => rows.map((row) => row.prefix + row.text);

describe('logRows', () => {
  it('keeps a short line on one row after its time and a space', () => {
    expect(joined(logRows('09:28:16', 'sent id 1', 80))).toEqual(['09:28:16 sent id 1']);
  });

  it('wraps a long line inside the width left of the time, with a hanging indent', () => {
    const text = 'textarea  http://127.0.0.1:8080/textarea.html  the page of the Racket example, one line per event';
    for (const width of [80, 60, 40]) {
      const rows = joined(logRows('09:28:16', text, width));
      expect(rows.length, `${width}`).toBeGreaterThan(1);
      expect(rows[0]).toMatch(/^09:28:16 textarea/);
      for (const row of rows) expect(stringWidth(row), `${width}: ${row}`).toBeLessThanOrEqual(width);
      for (const row of rows.slice(1)) expect(row, `${width}`).toMatch(new RegExp(`^ {${timeColumns}}\\S`));
      // Nothing is lost: the words come back when the rows are joined (at 40 the URL itself has to break).
      if (width >= 60)
        expect(
          rows
            .map((row) => row.trim())
            .join(' ')
            .replace(/^09:28:16 /, '')
            .replace(/ +/g, ' '),
        ).toBe(text.replace(/ +/g, ' '));
    }
  });

  it('cuts a word longer than the row and measures wide characters', () => {
    const rows = joined(
      logRows(
        '09:28:16',
        `${'x'.repeat(150)} 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉`,
        60,
      ),
    );
    for (const row of rows) expect(stringWidth(row), row).toBeLessThanOrEqual(60);
    expect(rows.length).toBeGreaterThan(5);
  });

  it('gives each line of a multi-line text its rows; only the first carries the time', () => {
    const rows = joined(logRows('09:28:16', 'first\n  indented second', 80));
    expect(rows).toEqual(['09:28:16 first', '           indented second']);
  });
});
