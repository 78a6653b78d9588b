import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHistoryText, serializeHistoryRecord } from '../../../core/history-file/history-file.js';
import { readHistoryFile, writeHistoryFile } from '../../../core/history-file/history-file-io.js';
import { openHistoryStore } from '../../../core/history-file/history-store.js';

const openHistoryAppender = (file: string) => openHistoryStore(file, 0);

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
    expect(readHistoryFile(join(dir, 'none.jsonl'))).toEqual({
      records: [],
      problems: [],
      existed: false,
      total: 0,
      nextId: 1,
    });
  });

  it('reports bad lines with their line numbers and keeps the good ones', () => {
    const text = [
      serializeHistoryRecord({ id: 1, data: 'a', storedAt: 0 }).trimEnd(),
      'not json',
      '{"id":"","data":"b"}',
      '{"id":2,"data":3}',
      '{"id":3,"data":"c","event":"bad\\nname"}',
      '',
      serializeHistoryRecord({ id: 4, data: 'd', storedAt: 0 }).trimEnd(),
      serializeHistoryRecord({ id: 4, data: 'dup', storedAt: 0 }).trimEnd(),
      '{"id":6,"data":"torn',
    ].join('\n');
    const { records, problems } = parseHistoryText(text);
    // Ids are in insertion order and may repeat (the newer wins on replay).
    expect(records.map((r) => r.id)).toEqual([1, 4, 4]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 9]);
    expect(problems[0]?.reason).toMatch(/not valid JSON/);
    expect(problems[1]?.reason).toMatch(
      /"id" must be a whole number from 0 to 9007199254740991 \(Number.MAX_SAFE_INTEGER\) or a non-empty string without CR, LF or NUL: got ""/,
    );
    expect(problems[2]?.reason).toMatch(/"data" must be a string/);
    expect(problems[3]?.reason).toMatch(/"event" must be a string without CR or LF/);
    expect(problems[4]?.reason).toMatch(/torn last line/);
  });

  it('never issues again the id of a line cut short, and leaves one id unused when the id itself is cut', () => {
    const whole = [1, 2].map((id) => serializeHistoryRecord({ id, data: 'x', storedAt: 0 })).join('');
    const readable = parseHistoryText(`${whole}{"id":3,"data":"half`);
    expect(readable.records.map((r) => r.id)).toEqual([1, 2]);
    expect(readable.nextId).toBe(4);
    expect(readable.problems[0]?.reason).toBe(
      'torn last line (the writer stopped in the middle of it); skipped, and its id 3 is not issued again (a client may have received it)',
    );
    expect(parseHistoryText(`${whole}{"id":"7","da`).nextId).toBe(8);
    for (const cut of ['{', '{"i', '{"id":', '{"id":3']) {
      const parsed = parseHistoryText(`${whole}${cut}`);
      expect(parsed.nextId, cut).toBe(4);
      expect(parsed.problems[0]?.reason, cut).toMatch(/its id is cut off, so id 3 is left unused/);
    }
    // A line in the middle that is not JSON but starts with an id is passed too.
    expect(
      parseHistoryText(`${whole}{"id":9,"da\n${serializeHistoryRecord({ id: 3, data: 'y', storedAt: 0 })}`).nextId,
    ).toBe(10);
    // Text that is not a record at all reserves nothing.
    expect(parseHistoryText(`${whole}not json`).nextId).toBe(3);
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
    expect(loaded.problems).toEqual([{ line: 2, reason: expect.stringMatching(/not valid JSON/) }]);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('refuses to append once closed, naming the file', () => {
    const file = join(dir, 'h.jsonl');
    const appender = openHistoryAppender(file);
    appender.close();
    expect(() => appender.append({ id: 1, data: 'a', storedAt: 0 })).toThrow(/is closed/);
  });
});

describe('reading a history file as a stream', () => {
  it('keeps only the newest `keep` records but counts them all, and honours a {"nextId":N} line', () => {
    const file = join(dir, 'h.jsonl');
    const lines = Array.from({ length: 50 }, (_, i) =>
      serializeHistoryRecord({ id: i + 1, data: `e${i + 1}`, storedAt: 0 }),
    );
    writeFileSync(file, `{"nextId":70}\n${lines.join('')}`);
    const loaded = readHistoryFile(file, { keep: 3 });
    expect(loaded.records.map((record) => record.id)).toEqual([48, 49, 50]);
    expect(loaded.total).toBe(50);
    expect(loaded.nextId).toBe(70);
    expect(loaded.problems).toEqual([]);
  });

  it('reads lines across its 1 MiB reads, skips a BOM, and refuses files over a size bound', () => {
    const file = join(dir, 'h.jsonl');
    const big = 'b'.repeat(700 * 1024);
    writeFileSync(
      file,
      `\uFEFF${[1, 2, 3].map((id) => serializeHistoryRecord({ id, data: big, storedAt: 0 })).join('')}`,
    );
    const loaded = readHistoryFile(file);
    expect(loaded.records.map((record) => [record.id, record.data.length])).toEqual([
      [1, big.length],
      [2, big.length],
      [3, big.length],
    ]);
    expect(() => readHistoryFile(file, { maxFileBytes: 1024 })).toThrow(
      /bytes; history files up to 1024 bytes can be loaded here/,
    );
  });

  it('lists at most 100 bad lines and counts the rest', () => {
    const file = join(dir, 'h.jsonl');
    writeFileSync(file, 'junk\n'.repeat(250));
    const loaded = readHistoryFile(file);
    expect(loaded.problems).toHaveLength(101);
    expect(loaded.problems.at(-1)?.reason).toBe('150 more bad lines not listed');
  });

  it('leaves no temporary file when the rename fails', () => {
    mkdirSync(join(dir, 'target'));
    expect(() => writeHistoryFile(join(dir, 'target'), [{ id: 1, data: 'x', storedAt: 0 }])).toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });
});
