import type * as NodeCrypto from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
The console's state directory (`$XDG_STATE_HOME/sse-console`) holds the --http2 private
key and the prompt history. Anyone who can write in it can plant a symlink where a
file is about to be written, or replace a file after it was, so it must be the
user's alone; and files are written through temporary files that are created
exclusively (O_EXCL | O_NOFOLLOW, mode 0600) with random names, then renamed.
*/

/** node:crypto, loaded on first use: start-up does not need it. */
function crypto(): typeof NodeCrypto {
  return process.getBuiltinModule('node:crypto');
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

/**
Creates `dir` (mode 0700) when it is missing, then checks that it is a directory of
this user's that no one else can write to, and that its parent does not let others
swap it (writable by others without the sticky bit). Returns why not, with what to
do, or undefined when it is private.
*/
export function privateDirectoryProblem(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return directoryProblem(dir);
}

/**
The same checks for a directory that may not exist (it is not created): undefined
when it is missing or private. A file read from a directory others can write may
have been planted there, so it is not read either.
*/
export function existingDirectoryProblem(dir: string): string | undefined {
  try {
    statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return directoryProblem(dir);
}

function directoryProblem(dir: string): string | undefined {
  const stat = statSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory()) return `${dir} is not a directory`;
  if (uid !== undefined && stat.uid !== uid) {
    return `${dir} belongs to another user (uid ${stat.uid}); set XDG_STATE_HOME to a directory of your own`;
  }
  if ((stat.mode & 0o022) !== 0) {
    return `${dir} can be written by other users (mode ${octal(stat.mode)}); run \`chmod 700 ${dir}\` or set XDG_STATE_HOME to a directory of your own`;
  }
  const parent = dirname(dir);
  const above = statSync(parent);
  if ((above.mode & 0o002) !== 0 && (above.mode & 0o1000) === 0) {
    return `${parent} can be written by every user without the sticky bit (mode ${octal(above.mode)}), so ${dir} could be swapped; set XDG_STATE_HOME to a directory of your own`;
  }
  return undefined;
}

/**
Writes `text` to `file` whole or not at all: a temporary file with a random name
beside it, created exclusively and without following a symlink (mode `mode`, 0600 by
default, whatever the umask), written, fsynced, renamed over `file`. On failure the
temporary file is removed and `file` is untouched.
*/
export function writePrivateFile(file: string, text: string, mode = 0o600): void {
  const temporary = join(dirname(file), `.${basename(file)}.${crypto().randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  let renamed = false;
  try {
    try {
      fchmodSync(fd, mode); // the umask may have taken bits away: the mode is exact
      // On a descriptor, writeFileSync loops over partial writes: every byte is written, or it throws.
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        unlinkSync(temporary);
      } catch {
        // already gone; the error that got here is the one to report
      }
    }
  }
}
