import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import type { HistoryRecord } from '../stream/types.js';
import { serializeHistoryRecord } from './history-file.js';
import { writeHistoryFile } from './history-file-io.js';
import { writeFully } from './write-fully.js';

/**
The history file a running stream writes to (`--history-file`): every stored event
is appended (a synchronous write, so it is in the kernel before any socket sees the
event), and every other change to the log (clear, load, save onto it, compaction)
replaces the file atomically and reopens it, so the file and memory never disagree.
*/
export interface HistoryStore {
  /** The file's real path (symlinks resolved when it was opened). */
  readonly path: string;
  /** Records in the file since it was last rewritten, plus those rewritten into it. */
  readonly lines: number;
  /** The file's size in bytes as this store wrote it. */
  readonly bytes: number;
  /**
  Appends one record, every byte or none: a write that fails part-way (a full disk)
  is cut back off the file and thrown as an Error naming the file, the event and the
  reason, so the caller does not send an event the file does not hold.
  */
  append(record: HistoryRecord): void;
  /** Replaces the file's contents with `records` (temp file, fsync, rename) and appends to the new file. */
  rewrite(records: readonly HistoryRecord[], nextId: number): void;
  /**
  True when `path` names this file (itself or through a symlink): a new file renamed
  there would unlink it from under the store, or leave a symlink that no longer
  leads to the events appended.
  */
  isSameFile(path: string): boolean;
  /** Flushes to disk (fsync) and closes the file. Safe to call twice. */
  close(): void;
}

/** Opens (creating if needed) a history file for appending; `lines` is how many records it already holds. */
export function openHistoryStore(path: string, lines: number): HistoryStore {
  let fd = openForAppend(path);
  // Resolved once, so a rewrite replaces the file and not a symlink to it.
  const realPath = realpathSync(path);
  let count = lines;
  let bytes = fstatSync(fd).size;
  let open = true;
  // Set when a failed append left part of a line that could not be cut off: the next
  // record then starts on a line of its own, so the part stays one bad line.
  let tornTail = false;

  /** Removes what a failed append wrote, so the file ends with the last whole record. */
  function cutBack(): void {
    try {
      ftruncateSync(fd, bytes);
    } catch {
      bytes = fstatSync(fd).size;
      tornTail = true;
    }
  }

  return {
    path: realPath,
    get lines() {
      return count;
    },
    get bytes() {
      return bytes;
    },
    append(record) {
      if (!open) throw new Error(`history file ${realPath} is closed; cannot store event ${record.id}`);
      const line = Buffer.from(`${tornTail ? '\n' : ''}${serializeHistoryRecord(record)}`, 'utf8');
      try {
        writeFully(fd, line);
      } catch (error) {
        cutBack();
        throw new Error(
          `event ${record.id} was not sent: the history file ${realPath} could not store it (${describeWriteError(error)}); free some space, or send without an id (not stored)`,
          { cause: error },
        );
      }
      tornTail = false;
      count += 1;
      bytes += line.length;
    },
    rewrite(records, nextId) {
      if (!open) throw new Error(`history file ${realPath} is closed`);
      writeHistoryFile(realPath, records, nextId);
      // The old descriptor now names the unlinked file: continue in the new one.
      closeSync(fd);
      fd = openForAppend(realPath);
      count = records.length;
      bytes = fstatSync(fd).size;
      tornTail = false;
    },
    isSameFile(other) {
      let stat;
      try {
        stat = statSync(other);
      } catch {
        return false;
      }
      const mine = fstatSync(fd);
      return stat.dev === mine.dev && stat.ino === mine.ino;
    },
    close() {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') return 'the disk is full: ENOSPC';
  if (code === 'EDQUOT') return 'the disk quota is used up: EDQUOT';
  return error instanceof Error ? error.message : String(error);
}

/** Opens for appending; if the file ends in a torn line, starts the next record on a line of its own. */
function openForAppend(path: string): number {
  const fd = openSync(path, 'a+', 0o600);
  const size = fstatSync(fd).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) writeFully(fd, '\n');
  }
  return fd;
}
