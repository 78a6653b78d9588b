import { constants } from 'node:fs';
import type * as NodeFsPromises from 'node:fs/promises';
import type { RecordedLine } from '../connect/stream-recorder.js';
import { isValidRetry, MAX_RETRY_MS, recordShapeProblem } from '../../index.js';
import { errorMessage } from './error-message.js';

/** node:fs/promises, loaded when `replay` first reads a file: start-up has no use for it. */
function fsPromises(): typeof NodeFsPromises {
  return process.getBuiltinModule('node:fs/promises');
}

/** The largest recording `replay` reads: it is held in memory while it plays. */
const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

export interface Recording {
  readonly lines: readonly RecordedLine[];
  /** `line N: reason` for the first lines skipped (at most PROBLEMS_DESCRIBED). */
  readonly problems: readonly string[];
  /** How many lines were skipped in all. */
  readonly skipped: number;
}

/** Bad lines described one by one; the rest are only counted (64 MiB of junk is millions of lines). */
const PROBLEMS_DESCRIBED = 3;

/**
Reads a recording made by `connect URL --record FILE`: a regular file only (a FIFO or
/dev/zero would block or never end), at most MAX_RECORDING_BYTES; lines that are not a
recorded event are skipped and reported. Rejects with an Error that says what was
wrong when the file cannot be read or holds no event.
*/
export async function readRecordingFile(path: string): Promise<Recording> {
  let handle;
  try {
    handle = await fsPromises().open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(
      `cannot read ${JSON.stringify(path)}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}`,
      { cause: error },
    );
  }
  let text: string;
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new Error(
        `${JSON.stringify(path)} is not a regular file: give a recording made with connect URL --record FILE`,
      );
    if (stat.size > MAX_RECORDING_BYTES) {
      throw new Error(
        `${JSON.stringify(path)} has ${stat.size} bytes: replay reads at most ${MAX_RECORDING_BYTES} (64 MiB)`,
      );
    }
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  const lines: RecordedLine[] = [];
  const problems: string[] = [];
  let skipped = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseRecordedLine(line);
    if (typeof parsed !== 'string') {
      lines.push(parsed);
      return;
    }
    skipped += 1;
    if (problems.length < PROBLEMS_DESCRIBED) problems.push(`line ${index + 1}: ${parsed}`);
  });
  if (lines.length === 0) {
    throw new Error(
      `${JSON.stringify(path)} holds no recorded event${problems.length > 0 ? ` (${problems[0] ?? ''})` : ''}: record one with sse-console connect URL --record FILE`,
    );
  }
  return { lines, problems, skipped };
}

const lineBreak = /[\r\n]/;

function parseRecordedLine(line: string): RecordedLine | string {
  // Every recorded line is a JSON object: anything else is refused without a throw.
  if (!line.trimStart().startsWith('{')) return 'not valid JSON';
  const shape = recordShapeProblem(line);
  if (shape !== undefined) return shape;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected a JSON object like {"data":"text","storedAt":0}';
  }
  const { id, data, event, retry, storedAt } = value as Record<string, unknown>;
  if (typeof storedAt !== 'number' || !Number.isFinite(storedAt)) return '"storedAt" must be a number (epoch ms)';
  if (data !== undefined && typeof data !== 'string') return '"data" must be a string';
  if (event !== undefined && (typeof event !== 'string' || lineBreak.test(event)))
    return '"event" must be a string without CR or LF';
  if (id !== undefined && (typeof id !== 'string' || /[\r\n\0]/.test(id)))
    return '"id" must be a string without CR, LF or NUL';
  if (retry !== undefined && !isValidRetry(retry))
    return `"retry" must be a whole number of milliseconds from 0 to ${MAX_RETRY_MS}`;
  if (data === undefined && retry === undefined && id === undefined)
    return 'a line needs "data" (an event), "retry" or "id" (a block with only an id)';
  return {
    ...(id === undefined ? {} : { id }),
    ...(data === undefined ? {} : { data }),
    ...(event === undefined ? {} : { event }),
    ...(retry === undefined ? {} : { retry }),
    storedAt,
  };
}
