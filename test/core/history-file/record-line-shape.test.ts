import { describe, expect, it } from 'vitest';
import { parseHistoryText } from '../../../core/history-file/history-file.js';
import { recordShapeProblem } from '../../../core/history-file/record-line-shape.js';

describe('the look at a record line before JSON.parse', () => {
  it('lets a flat record through, whatever its strings hold (brackets, commas, escaped quotes, backslashes)', () => {
    const data = `${'[{,:'.repeat(1000)} "quoted" \\ \\\\" ${'x'.repeat(1_000_000)}`;
    const line = JSON.stringify({ id: 1, event: 'a[b]', data, retry: 5, storedAt: 0 });
    expect(recordShapeProblem(line)).toBeUndefined();
    expect(parseHistoryText(`${line}\n`).records[0]?.data).toBe(data);
  });

  it('refuses nesting deeper than 8 levels and more than 256 values outside strings, without parsing', () => {
    expect(recordShapeProblem(`{"id":1,"data":${'['.repeat(8)}${']'.repeat(8)}}`)).toMatch(
      /^nested more than 8 levels deep \(a record is one flat object like/,
    );
    expect(recordShapeProblem(`{"id":1,"data":${'['.repeat(7)}${']'.repeat(7)}}`)).toBeUndefined();
    expect(recordShapeProblem(`{"id":1,"data":[${'0,'.repeat(300)}0]}`)).toMatch(
      /^more than 256 values outside strings/,
    );
    // An unterminated string is left to JSON.parse, which fails on it at once.
    expect(recordShapeProblem('{"id":1,"data":"no end')).toBeUndefined();
  });

  it('reports such a line in a history file with its number and reads on', () => {
    const nested = `{"id":2,"data":${'['.repeat(100_000)}${']'.repeat(100_000)},"storedAt":0}`;
    const parsed = parseHistoryText(
      `{"id":1,"data":"one","storedAt":0}\n${nested}\n{"id":3,"data":"three","storedAt":0}\n`,
    );
    expect(parsed.records.map((record) => record.id)).toEqual([1, 3]);
    expect(parsed.problems).toEqual([
      {
        line: 2,
        reason:
          'nested more than 8 levels deep (a record is one flat object like {"data":"text","storedAt":0}); skipped unread',
      },
    ]);
  });
});
