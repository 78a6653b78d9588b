import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';

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
  event(event: { readonly event: string; readonly data: string; readonly id: string | undefined }, time: Date): void;
  retry(retryMs: number, time: Date): void;
  /** A block with only an `id:` field. */
  idOnly(id: string, time: Date): void;
  close(): void;
}

/**
Opens FILE for a recording (created or truncated; a regular file only, since opening a
FIFO for writing would wait for a reader) and appends one JSON line per event with a
synchronous write, so what arrived is on disk even if the process is killed. Throws an
Error that names the file and the reason; a failed write later stops the recording
and calls `onWriteError` once.
*/
export function openStreamRecorder(path: string, onWriteError: (message: string) => void): StreamRecorder {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK, 0o644);
  } catch (error) {
    throw new Error(
      `cannot record to ${JSON.stringify(path)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new Error(
      `cannot record to ${JSON.stringify(path)}: not a regular file; give a file name, e.g. --record stream.jsonl`,
    );
  }
  let open = true;
  const append = (line: RecordedLine) => {
    if (!open) return;
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
    } catch (error) {
      // A full disk must not crash the client: stop recording and say so once.
      open = false;
      closeSync(fd);
      onWriteError(
        `recording to ${JSON.stringify(path)} stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  return {
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
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
