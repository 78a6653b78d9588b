import type * as NodeCrypto from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HistoryRecord } from '../stream/types.js';
import { writeFully } from './write-fully.js';
import {
  HistoryLineReader,
  serializeHistoryRecord,
  serializeNextIdMark,
  type HistoryFileProblem,
} from './history-file.js';

/** node:crypto, loaded on first use: it takes ~5 ms to load and start-up does not need it. */
function crypto(): typeof NodeCrypto {
  return process.getBuiltinModule('node:crypto');
}

/** The longest line a history file may hold; longer ones are skipped unread. */
const MAX_HISTORY_LINE_BYTES = 64 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
What {@link readHistoryFile} takes.

@public
*/
export interface HistoryFileReadOptions {
  /** Keep only the newest `keep` records (all by default); every one is still checked and counted. */
  readonly keep?: number;
  /** Refuse files larger than this many bytes (none by default). */
  readonly maxFileBytes?: number;
}

/**
What {@link readHistoryFile} found in a history file.

@public
*/
export interface HistoryFileContents {
  /** The valid records kept (the newest `keep`), oldest first. */
  readonly records: readonly HistoryRecord[];
  /** Lines that are not valid records (skipped), with their line numbers. */
  readonly problems: readonly HistoryFileProblem[];
  /**
  The first id a stream may issue after these records: one past the largest numeric
  id, or more when a `{"nextId":N}` line says ids up to N−1 were issued (before a clear).
  */
  readonly nextId: number;
  /** False when there was no file (an empty history). */
  readonly existed: boolean;
  /** Valid records in the file, including those not kept. */
  readonly total: number;
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
Reads a history file (the JSON Lines format of {@link openHistoryFileStore} and
{@link writeHistoryFile}) without opening it for writing: to inspect one, or to load
it into a stream with `sse.replaceHistory(contents.records)`. It is read a slice of
1 MiB at a time, so memory holds the kept records and one line, whatever the file's
size. A missing file is an empty history (`existed: false`); bad lines are skipped
and listed in `problems`. Only regular files are read (a FIFO would block, and
`/dev/zero` never ends). A UTF-8 BOM at the start is skipped.

@throws Error when the file cannot be read, is not a regular file, or is larger than `maxFileBytes` (the message says which).
@example
```ts
const { records, problems } = readHistoryFile('events.jsonl', { keep: 500 });
sse.replaceHistory(records);
```
@public
*/
export function readHistoryFile(path: string, options: HistoryFileReadOptions = {}): HistoryFileContents {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (code(error) === 'ENOENT') return { records: [], problems: [], nextId: 1, existed: false, total: 0 };
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new Error(`${path} is not a regular file (a history file is a JSON Lines file, one event per line)`);
    }
    if (options.maxFileBytes !== undefined && stat.size > options.maxFileBytes) {
      throw new Error(
        `${path} is ${stat.size} bytes; history files up to ${options.maxFileBytes} bytes can be loaded here`,
      );
    }
    const reader = new HistoryLineReader(options.keep);
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false; // inside a line longer than the limit
    let first = true;
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      let bytes = chunk.subarray(0, read);
      if (first) {
        first = false;
        if (bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
      }
      let at = 0;
      for (;;) {
        const lf = bytes.indexOf(0x0a, at);
        const end = lf === -1 ? bytes.length : lf;
        if (!skipping) {
          if (pendingBytes + (end - at) > MAX_HISTORY_LINE_BYTES) {
            skipping = true;
            pending = [];
            pendingBytes = 0;
          } else if (end > at) {
            // Copied: `chunk` is reused for the next read.
            pending.push(Buffer.from(bytes.subarray(at, end)));
            pendingBytes += end - at;
          }
        }
        if (lf === -1) break;
        if (skipping) {
          reader.overlong(MAX_HISTORY_LINE_BYTES);
          skipping = false;
        } else {
          // LF never occurs inside a UTF-8 sequence, so each line decodes on its own.
          reader.line(Buffer.concat(pending, pendingBytes).toString('utf8'));
        }
        pending = [];
        pendingBytes = 0;
        at = lf + 1;
      }
    }
    if (skipping) {
      reader.overlong(MAX_HISTORY_LINE_BYTES);
    } else if (pendingBytes > 0) {
      reader.line(Buffer.concat(pending, pendingBytes).toString('utf8'), true);
    }
    return { ...reader.result(), existed: true, total: reader.total };
  } finally {
    closeSync(fd);
  }
}

/**
Writes a whole history as a history file, atomically: a temporary file with a random
name in the target's directory, created exclusively (`wx`: never through a symlink or
over an existing file), written, fsynced, then renamed over `path`. On failure the
temporary file is removed and `path` is untouched. `nextId`, when given, is recorded
as a `{"nextId":N}` first line, so a store opened on the file never issues an id below it.

Do not write onto the file of an open {@link openHistoryFileStore} store: the store
goes on appending to the file it opened. Replace that store's history through the
stream (`sse.replaceHistory`) instead.

@throws Error (with the file system's `code`, e.g. `ENOSPC`) when the file cannot be written.
@example
```ts
writeHistoryFile('backup.jsonl', sse.history);
```
@public
*/
export function writeHistoryFile(path: string, records: readonly HistoryRecord[], nextId?: number): void {
  const temporary = join(dirname(path), `.${basename(path)}.${crypto().randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', 0o600);
  let renamed = false;
  try {
    try {
      if (nextId !== undefined) writeFully(fd, serializeNextIdMark(nextId));
      // Written in slices so a large log is not turned into one huge string.
      let text = '';
      for (const record of records) {
        text += serializeHistoryRecord(record);
        if (text.length >= CHUNK_BYTES) {
          writeFully(fd, text);
          text = '';
        }
      }
      if (text !== '') writeFully(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    renamed = true;
    syncDirectory(dirname(path));
  } finally {
    if (!renamed) {
      try {
        unlinkSync(temporary);
      } catch {
        // Already gone; the original error is the one to report.
      }
    }
  }
}

/** Makes a rename durable; some filesystems cannot fsync a directory, which is not an error here. */
function syncDirectory(directory: string): void {
  try {
    const fd = openSync(directory, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}
