import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openHistoryAppender,
  parseHistoryText,
  readHistoryFile,
  serializeHistoryRecord,
  writeHistoryFile,
} from '../../../core/history-file/history-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sse-console-history-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('history file (JSON Lines)', () => {
  it('round-trips records, multi-line data, event names and retry', () => {
    const file = join(dir, 'h.jsonl');
    const records = [
      { id: 1, data: 'Hello World!', storedAt: 10 },
      { id: 2, data: 'two\nlines\r\nand CR\r', event: 'my-custom-event', storedAt: 11 },
      { id: 5, data: '', retry: 2000, storedAt: 12 },
    ];
    writeHistoryFile(file, records);
    const loaded = readHistoryFile(file);
    expect(loaded.existed).toBe(true);
    expect(loaded.problems).toEqual([]);
    expect(loaded.records).toEqual(records);
  });

  it('refuses a retry the encoder and --retry refuse (beyond 2^31 - 1 ms), keeps the largest valid one', () => {
    const { records, problems } = parseHistoryText(
      ['{"id":1,"data":"a","retry":2147483647}', '{"id":2,"data":"b","retry":2147483648}'].join('\n'),
    );
    expect(records.map((record) => record.retry)).toEqual([2147483647]);
    expect(problems).toMatchObject([{ line: 2, reason: expect.stringMatching(/from 0 to 2147483647/) }]);
  });

  it('treats a missing file as an empty history', () => {
    expect(readHistoryFile(join(dir, 'none.jsonl'))).toEqual({ records: [], problems: [], existed: false });
  });

  it('reports bad lines with their line numbers and keeps the good ones', () => {
    const text = [
      serializeHistoryRecord({ id: 1, data: 'a', storedAt: 0 }).trimEnd(),
      'not json',
      '{"id":"x","data":"b"}',
      '{"id":2,"data":3}',
      '{"id":3,"data":"c","event":"bad\\nname"}',
      '',
      serializeHistoryRecord({ id: 4, data: 'd', storedAt: 0 }).trimEnd(),
      serializeHistoryRecord({ id: 4, data: 'dup', storedAt: 0 }).trimEnd(),
      '{"id":6,"data":"torn',
    ].join('\n');
    const { records, problems } = parseHistoryText(text);
    expect(records.map((r) => r.id)).toEqual([1, 4]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 8, 9]);
    expect(problems[0]?.reason).toMatch(/not valid JSON/);
    expect(problems[1]?.reason).toMatch(/"id" must be a positive integer/);
    expect(problems[2]?.reason).toMatch(/"data" must be a string/);
    expect(problems[3]?.reason).toMatch(/"event" must be a string without CR or LF/);
    expect(problems[4]?.reason).toMatch(/id 4 is not greater than the previous id 4/);
    expect(problems[5]?.reason).toMatch(/torn last line/);
  });

  it('appends after a torn last line on a line of its own', () => {
    const file = join(dir, 'h.jsonl');
    writeFileSync(file, serializeHistoryRecord({ id: 1, data: 'a', storedAt: 0 }));
    appendFileSync(file, '{"id":2,"da');
    const appender = openHistoryAppender(file);
    appender.append({ id: 3, data: 'c', storedAt: 0 });
    appender.close();
    appender.close();
    const loaded = readHistoryFile(file);
    expect(loaded.records.map((r) => r.id)).toEqual([1, 3]);
    expect(loaded.problems).toEqual([{ line: 2, reason: expect.stringMatching(/not valid JSON/) as unknown as string }]);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('refuses to append once closed, naming the file', () => {
    const file = join(dir, 'h.jsonl');
    const appender = openHistoryAppender(file);
    appender.close();
    expect(() => appender.append({ id: 1, data: 'a', storedAt: 0 })).toThrow(/is closed/);
  });
});
