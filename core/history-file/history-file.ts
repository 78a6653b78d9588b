import type { HistoryRecord } from '../stream/types.js';
import { numericId } from '../wire/decimal-id.js';
import { MAX_RETRY_MS, isValidRetry } from '../wire/fields.js';
import { recordShapeProblem } from './record-line-shape.js';

/**
The replay log on disk, as JSON Lines: one `{"id":1,"data":"…","storedAt":…}` per
line, in insertion order (`id` is a number or, for an application's own ids, a string). A record is appended (a synchronous write, so it is in the kernel before any
socket sees the event) before the event is sent, which is what lets a restart after
`kill -9` restore every event a client may have received.
*/

/**
A line of a history file that is not a valid record (skipped when the file is read).

@public
*/
export interface HistoryFileProblem {
  /** 1-based line number in the file. */
  readonly line: number;
  /** What is wrong with it, and that it was skipped. */
  readonly reason: string;
}

export interface ParsedHistory {
  readonly records: HistoryRecord[];
  readonly problems: HistoryFileProblem[];
  /**
  The first id the stream may issue after these records: one past the largest
  numeric id (or decimal string id), or more when a `{"nextId":N}` line says ids up to N−1 were issued (after a clear).
  */
  readonly nextId: number;
}

/** The largest id a stream issues: ids are JSON numbers, exact up to 2^53−1. */
const MAX_EVENT_ID = Number.MAX_SAFE_INTEGER;

const hasLineBreak = /[\r\n]/;

/** The numeric id at the start of a line as serializeHistoryRecord writes it: `{"id":43,` or `{"id":"43",`. */
const leadingId = /^\{"id":(?:(0|[1-9][0-9]{0,15})[,}]|"(0|[1-9][0-9]{0,15})")/;

/** A `{"nextId":N}` line: ids below N were issued (written when the log no longer shows it). */
interface NextIdMark {
  readonly nextId: number;
}

/** Checks one decoded JSON value; returns the record (or id mark) or the reason it is not one. */
function toRecord(value: unknown): HistoryRecord | NextIdMark | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected a JSON object like {"id":1,"data":"text","storedAt":0}';
  }
  const fields = value as Record<string, unknown>;
  const { id, data, event, retry, storedAt } = fields;
  if (id === undefined && Object.keys(fields).length === 1 && 'nextId' in fields) {
    const next = fields['nextId'];
    if (typeof next !== 'number' || !Number.isSafeInteger(next) || next < 1) {
      return `"nextId" must be a whole number from 1 to ${MAX_EVENT_ID}`;
    }
    return { nextId: next };
  }
  const validId =
    typeof id === 'number'
      ? Number.isInteger(id) && id >= 0 && id <= MAX_EVENT_ID
      : typeof id === 'string' && id !== '' && !/[\r\n\0]/.test(id);
  if (!validId) {
    return `"id" must be a whole number from 0 to ${MAX_EVENT_ID} (Number.MAX_SAFE_INTEGER) or a non-empty string without CR, LF or NUL: got ${JSON.stringify(id) ?? 'nothing'}`;
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
    id: id as number | string, // checked above
    data,
    ...(event === undefined ? {} : { event }),
    ...(retry === undefined ? {} : { retry }),
    storedAt: storedAt ?? 0,
  };
}

/**
Checks the lines of a history file one at a time (so a file of any size can be read
as a stream). Keeps at most `keep` records, the newest; counts every valid one.
*/
export class HistoryLineReader {
  readonly problems: HistoryFileProblem[] = [];
  /** Problems not kept in `problems` (a file of garbage must not fill memory with reports). */
  moreProblems = 0;
  /** Valid records seen, kept or not. */
  total = 0;
  private kept: HistoryRecord[] = [];
  private start = 0; // index of the oldest kept record once the ring is full
  /** The largest numeric id seen (0: none): the counter continues past it. */
  private lastId = 0;
  private mark = 0;
  /** Ids below this may have been sent by a line that could not be read whole. */
  private reserved = 0;
  private lineNumber = 0;

  constructor(private readonly keep: number = Number.POSITIVE_INFINITY) {}

  problem(line: number, reason: string): void {
    if (this.problems.length < 100) {
      this.problems.push({ line, reason });
    } else {
      this.moreProblems += 1;
    }
  }

  /** One line without its LF; `torn` when it is the last line and the file does not end in LF. */
  line(rawLine: string, torn = false): void {
    this.lineNumber += 1;
    const lineNumber = this.lineNumber;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const shape = recordShapeProblem(line);
    if (shape !== undefined) {
      this.problem(lineNumber, `${shape}; skipped unread`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const what = torn
        ? 'torn last line (the writer stopped in the middle of it)'
        : `not valid JSON (${(error as Error).message})`;
      this.problem(lineNumber, `${what}; skipped${this.passUnreadable(line)}`);
      return;
    }
    const record = toRecord(value);
    if (typeof record === 'string') {
      this.problem(lineNumber, `${record}; skipped`);
      return;
    }
    if (!('id' in record)) {
      this.mark = Math.max(this.mark, record.nextId);
      return;
    }
    // Records are in insertion order; ids need not increase (applications' ids, strings).
    const numeric = numericId(record.id) ?? 0;
    if (Number.isSafeInteger(numeric)) this.lastId = Math.max(this.lastId, numeric);
    this.total += 1;
    if (this.keep === 0) return;
    if (this.kept.length < this.keep) {
      this.kept.push(record);
    } else {
      this.kept[this.start] = record;
      this.start = (this.start + 1) % this.kept.length;
    }
  }

  /**
  A line that is not JSON may still be an event a client received: a writer (an older
  version, or a crash) can stop in the middle of a line it was sending. The id it
  starts with is never issued again; when the id itself is cut, the one after the
  largest seen so far is left unused instead. Returns the words for the problem.
  */
  private passUnreadable(line: string): string {
    if (!line.startsWith('{')) return '';
    const id = leadingId.exec(line);
    if (id !== null) {
      const numeric = Number(id[1] ?? id[2]);
      if (!Number.isSafeInteger(numeric)) return '';
      this.reserved = Math.max(this.reserved, numeric + 1);
      return `, and its id ${numeric} is not issued again (a client may have received it)`;
    }
    if (/^\{(?:"(?:i(?:d(?:"(?::[0-9]*)?)?)?)?)?$/.test(line)) {
      this.reserved = Math.max(this.reserved, this.lastId + 2);
      return `; its id is cut off, so id ${this.lastId + 1} is left unused (a client may have received it)`;
    }
    return '';
  }

  /** A line too long to hold, skipped without reading it whole. */
  overlong(limit: number): void {
    this.lineNumber += 1;
    this.problem(this.lineNumber, `line longer than ${limit} bytes; skipped`);
  }

  result(): ParsedHistory {
    const records = [...this.kept.slice(this.start), ...this.kept.slice(0, this.start)];
    const problems =
      this.moreProblems > 0
        ? [...this.problems, { line: this.lineNumber, reason: `${this.moreProblems} more bad lines not listed` }]
        : this.problems;
    return { records, problems, nextId: Math.max(this.mark, this.reserved, this.lastId + 1) };
  }
}

/** Parses JSON Lines text; bad lines are reported with their line numbers and skipped. */
export function parseHistoryText(text: string): ParsedHistory {
  const reader = new HistoryLineReader();
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n');
  const endsCleanly = body.length === 0 || body.endsWith('\n');
  lines.forEach((line, index) => reader.line(line, index === lines.length - 1 && !endsCleanly));
  return reader.result();
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

export function serializeNextIdMark(nextId: number): string {
  return `${JSON.stringify({ nextId })}\n`;
}
