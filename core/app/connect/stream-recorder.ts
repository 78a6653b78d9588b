import type * as NodeCrypto from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  openSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
One line of a recording (`connect URL --record FILE`): the history file's format (data,
event, retry, storedAt in epoch ms) with the arrival time as `storedAt`, and the id as
the server sent it (a string: a recorded stream's ids need not be integers). A line
with `retry` and no `data` records a `retry:` field on its own; one with `id` alone, a
block with only an `id:` (no event fires, but the last event ID changes; "" clears it).
*/
export interface RecordedLine {
  readonly id?: string;
  readonly data?: string;
  readonly event?: string;
  readonly retry?: number;
  /** Epoch ms when the event (or retry) arrived. */
  readonly storedAt: number;
}

export interface StreamRecorder {
  /** Set when FILE existed when the recording was opened: the first line recorded replaces it. */
  readonly replaces: boolean;
  event(event: { readonly event: string; readonly data: string; readonly id: string | undefined }, time: Date): void;
  retry(retryMs: number, time: Date): void;
  /** A block with only an `id:` field. */
  idOnly(id: string, time: Date): void;
  /**
  Ends the recording: what it holds is flushed to disk. `ok` is false when the
  recording could not be completed; `message` is what the user has not been told yet
  (nothing arrived, so FILE was left alone; the flush failed). Safe to call twice.
  */
  close(): { readonly ok: boolean; readonly message?: string };
}

/** node:crypto, loaded when a recording starts: other commands have no use for it. */
function crypto(): typeof NodeCrypto {
  return process.getBuiltinModule('node:crypto');
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full (ENOSPC)',
  EDQUOT: 'the disk quota is used up (EDQUOT)',
};

function reason(error: unknown): string {
  const known = reasons[code(error) ?? ''];
  return known ?? (error instanceof Error ? error.message : String(error));
}

/**
Opens a recording of FILE with the rules `history save` follows: the lines go to a
temporary file with a random name created exclusively in FILE's folder (`wx`, mode
0600: never through a symlink, never into a file that is there), and that file is
renamed onto FILE when the first line is in it. So a symlink at FILE is replaced,
not followed; an existing FILE is replaced only once something arrived to replace it
with; and from then on every line is on disk as it arrives (a synchronous write),
even if the process is killed. A write that fails (a full disk) is cut back to the
last whole line, the recording stops and `onWriteError` is called once. Throws an
Error naming the file and the reason when it cannot be opened.
*/
export function openStreamRecorder(path: string, onWriteError: (message: string) => void): StreamRecorder {
  const shown = JSON.stringify(path);
  const cannot = (why: string, cause?: unknown): Error =>
    new Error(`cannot record to ${shown}: ${why}`, cause === undefined ? {} : { cause });
  let existing: Stats | undefined;
  try {
    existing = lstatSync(path);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw cannot(reason(error), error);
  }
  if (existing !== undefined && !existing.isFile() && !existing.isSymbolicLink()) {
    throw cannot('not a regular file; give a file name, e.g. --record stream.jsonl');
  }
  const temporary = join(dirname(path), `.${basename(path)}.${crypto().randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND, 0o600);
  } catch (error) {
    throw cannot(reason(error), error);
  }
  let open = true;
  let placed = false; // renamed onto FILE
  let lines = 0;
  let bytes = 0;
  let failure: string | undefined;

  const removeTemporary = (): void => {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
  };

  const stop = (why: string): void => {
    open = false;
    closeSync(fd);
    if (!placed) removeTemporary();
    failure = placed
      ? `recording to ${shown} stopped after ${lines} line${lines === 1 ? '' : 's'}: ${why}; the file holds the lines recorded until then`
      : `recording to ${shown} failed: ${why}; ${existing === undefined ? 'the file was not created' : 'the file was left as it was'}`;
    onWriteError(failure);
  };

  const append = (line: RecordedLine) => {
    if (!open) return;
    const text = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    try {
      // On a descriptor, writeFileSync loops over partial writes: every byte is written, or it throws.
      writeFileSync(fd, text);
    } catch (error) {
      try {
        ftruncateSync(fd, bytes);
      } catch {
        // The reader skips a torn last line; the cause is what to report.
      }
      stop(reason(error));
      return;
    }
    lines += 1;
    bytes += text.length;
    if (placed) return;
    try {
      renameSync(temporary, path);
      placed = true;
    } catch (error) {
      stop(`cannot put it in place (${reason(error)})`);
    }
  };

  return {
    replaces: existing !== undefined,
    event(event, time) {
      append({
        ...(event.id === undefined ? {} : { id: event.id }),
        data: event.data,
        ...(event.event === 'message' ? {} : { event: event.event }),
        storedAt: time.getTime(),
      });
    },
    retry(retryMs, time) {
      append({ retry: retryMs, storedAt: time.getTime() });
    },
    idOnly(id, time) {
      append({ id, storedAt: time.getTime() });
    },
    close() {
      if (failure !== undefined) return { ok: false }; // already told through onWriteError
      if (!open) return { ok: true };
      open = false;
      try {
        fsyncSync(fd);
      } catch (error) {
        closeSync(fd);
        if (!placed) removeTemporary();
        failure = `recording to ${shown} could not be flushed to disk: ${reason(error)}`;
        return { ok: false, message: failure };
      }
      closeSync(fd);
      if (placed) return { ok: true };
      removeTemporary();
      return {
        ok: true,
        message: `nothing arrived to record, so ${shown} was ${existing === undefined ? 'not created' : 'left as it was'}`,
      };
    },
  };
}
