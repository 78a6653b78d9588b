import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { errorMessage } from './error-message.js';
import type { Result } from '../result.js';

export type TextFileResult = Result<{ text: string }>;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function describeOpenError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `no such file: ${path}`;
  if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be read (permission denied)`;
  if (code === 'EISDIR') return `${path} is a directory; name a file`;
  return `cannot read ${path}: ${errorMessage(error)}`;
}

/** Bytes as people read them: 900 bytes, 12 KiB, 3.5 MiB. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/**
Reads a small UTF-8 text file whole (a lesson script, `send --file`'s data) with the
console's rules for files named by a user: regular files only (a FIFO would block the
console and /dev/zero never ends), at most `maxBytes`, valid UTF-8. Never throws: a
failure is one line saying what was wrong.
*/
export function readTextFile(path: string, maxBytes: number): TextFileResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, error: describeOpenError(path, error) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, error: `${path} is a directory; name a file` };
    if (!stat.isFile())
      return { ok: false, error: `${path} is not a regular file (devices, FIFOs and sockets are refused)` };
    if (stat.size > maxBytes) {
      return { ok: false, error: `${path} is ${formatBytes(stat.size)}; the limit is ${formatBytes(maxBytes)}` };
    }
    // One byte more than allowed, so a file that grew since fstat is still caught.
    const buffer = Buffer.alloc(Math.min(maxBytes, stat.size) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { ok: false, error: `${path} is over the limit of ${formatBytes(maxBytes)}` };
    try {
      return { ok: true, text: utf8.decode(buffer.subarray(0, length)) };
    } catch {
      return { ok: false, error: `${path} is not UTF-8 text` };
    }
  } catch (error) {
    return { ok: false, error: `cannot read ${path}: ${errorMessage(error)}` };
  } finally {
    closeSync(fd);
  }
}
