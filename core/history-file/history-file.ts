import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync, fstatSync, readSync } from 'node:fs';
import type { HistoryRecord } from '../stream/types.js';
import { MAX_RETRY_MS, isValidRetry } from '../wire/fields.js';

/**
The replay log on disk, as JSON Lines: one `{"id":1,"data":"…","storedAt":…}` per
line. A record is appended (a synchronous write, so it is in the kernel before any
socket sees the event) before the event is sent, which is what lets a restart after
`kill -9` restore every event a client may have received.
*/

export interface HistoryFileProblem {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly reason: string;
}

export interface ParsedHistory {
  readonly records: HistoryRecord[];
  readonly problems: HistoryFileProblem[];
}

const hasLineBreak = /[\r\n]/;

/** Checks one decoded JSON value; returns the record or the reason it is not one. */
function toRecord(value: unknown): HistoryRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected a JSON object like {"id":1,"data":"text","storedAt":0}';
  }
  const fields = value as Record<string, unknown>;
  const { id, data, event, retry, storedAt } = fields;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    return '"id" must be a positive integer';
  }
  if (typeof data !== 'string') return '"data" must be a string';
  if (event !== undefined && (typeof event !== 'string' || hasLineBreak.test(event))) {
    return '"event" must be a string without CR or LF';
  }
  if (retry !== undefined && !isValidRetry(retry)) {
    return `"retry" must be a whole number of milliseconds from 0 to ${MAX_RETRY_MS}`;
  }
  if (storedAt !== undefined && (typeof storedAt !== 'number' || !Number.isFinite(storedAt))) {
    return '"storedAt" must be a number (epoch ms)';
  }
  return {
    id,
    data,
    ...(event === undefined ? {} : { event }),
    ...(retry === undefined ? {} : { retry }),
    storedAt: storedAt ?? 0,
  };
}

/** Parses JSON Lines text; bad lines are reported with their line numbers and skipped. */
export function parseHistoryText(text: string): ParsedHistory {
  const records: HistoryRecord[] = [];
  const problems: HistoryFileProblem[] = [];
  const lines = text.split('\n');
  const endsCleanly = text.length === 0 || text.endsWith('\n');
  let lastId = 0;
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const lineNumber = index + 1;
    const isLast = index === lines.length - 1;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason =
        isLast && !endsCleanly
          ? 'torn last line (the writer stopped in the middle of it); skipped'
          : `not valid JSON (${(error as Error).message}); skipped`;
      problems.push({ line: lineNumber, reason });
      return;
    }
    const record = toRecord(value);
    if (typeof record === 'string') {
      problems.push({ line: lineNumber, reason: `${record}; skipped` });
      return;
    }
    if (record.id <= lastId) {
      problems.push({
        line: lineNumber,
        reason: `id ${record.id} is not greater than the previous id ${lastId}; skipped`,
      });
      return;
    }
    lastId = record.id;
    records.push(record);
  });
  return { records, problems };
}

export function serializeHistoryRecord(record: HistoryRecord): string {
  return `${JSON.stringify({
    id: record.id,
    ...(record.event === undefined ? {} : { event: record.event }),
    data: record.data,
    ...(record.retry === undefined ? {} : { retry: record.retry }),
    storedAt: record.storedAt,
  })}\n`;
}

/** Reads a history file; a missing file is an empty history, not an error. */
export function readHistoryFile(path: string): ParsedHistory & { readonly existed: boolean } {
  if (!existsSync(path)) return { records: [], problems: [], existed: false };
  return { ...parseHistoryText(readFileSync(path, 'utf8')), existed: true };
}

/** Writes a whole history (for `history save`): to a temporary file, then renamed over. */
export function writeHistoryFile(path: string, records: readonly HistoryRecord[]): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, records.map(serializeHistoryRecord).join(''), { mode: 0o600 });
  renameSync(temporary, path);
}

export interface HistoryAppender {
  append(record: HistoryRecord): void;
  /** Flushes to disk (fsync) and closes the file. Safe to call twice. */
  close(): void;
}

/**
Opens a history file for appending. If the file ends in a torn line, a newline is
written first so the next record starts on a line of its own.
*/
export function openHistoryAppender(path: string): HistoryAppender {
  const fd = openSync(path, 'a+', 0o600);
  const size = fstatSync(fd).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) writeSync(fd, '\n');
  }
  let open = true;
  return {
    append(record) {
      if (!open) throw new Error(`history file ${path} is closed; cannot store event ${record.id}`);
      writeSync(fd, serializeHistoryRecord(record));
    },
    close() {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}
