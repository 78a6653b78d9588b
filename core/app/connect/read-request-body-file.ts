import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The largest request body read from a file (curl's -d @FILE): far above any prompt. */
const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

/**
The bytes of a request body file (`-d @FILE`): a regular file only (a FIFO or a device
such as /dev/zero would block or never end), at most MAX_REQUEST_BODY_BYTES. Rejects
with an Error whose message says what was wrong and what is valid.
*/
export async function readRequestBodyFile(path: string): Promise<Uint8Array> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new Error(`cannot read the request body file ${JSON.stringify(path)}: ${reasonOf(error)}`, { cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new Error(
        `the request body file ${JSON.stringify(path)} is not a regular file: give a file, e.g. -d @body.json`,
      );
    }
    if (stat.size > MAX_REQUEST_BODY_BYTES) {
      throw new Error(
        `the request body file ${JSON.stringify(path)} has ${stat.size} bytes: at most ${MAX_REQUEST_BODY_BYTES} (16 MiB) are sent`,
      );
    }
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
