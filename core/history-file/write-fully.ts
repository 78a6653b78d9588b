import { writeSync } from 'node:fs';

/**
Writes every byte of `data` to `fd`, or throws. `writeSync` may write only part of
what it was given (a disk that fills in the middle of a line) and says so only in its
return value; a caller that ignored it would leave half a line on disk without an
error. A write that makes no progress is reported as ENOSPC, which is what it means.
*/
export function writeFully(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let at = 0;
  while (at < bytes.length) {
    const written = writeSync(fd, bytes, at, bytes.length - at);
    if (written <= 0) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    }
    at += written;
  }
}
