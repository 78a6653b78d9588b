import type * as NodeFsPromises from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/**
node:fs/promises, loaded on the first page request: it brings node:readline and the
file watchers with it (~2 ms), and a start-up serves nothing yet.
*/
function fsPromises(): typeof NodeFsPromises {
  return process.getBuiltinModule('node:fs/promises');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

/** The Content-Type for a file name; unknown kinds are plain bytes (nosniff keeps them inert). */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
The absolute path of `urlPath` (still percent-encoded, relative to `root`), or
undefined when it would leave `root`, names a dotfile, or cannot be decoded.
The check runs on the resolved path, so `..`, `%2e%2e` and `..%2f` all fail alike.
*/
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  if (decoded.split(/[/\\]/).some((segment) => segment.startsWith('.'))) return undefined;
  const rootDir = resolve(root);
  const full = resolve(rootDir, decoded);
  return full.startsWith(rootDir + sep) ? full : undefined;
}

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** A regular file's bytes and type, or undefined if there is no such file. */
export async function readStaticFile(path: string): Promise<StaticFile | undefined> {
  try {
    const { readFile, stat } = fsPromises();
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    return { body: await readFile(path), contentType: contentTypeFor(path) };
  } catch {
    return undefined;
  }
}
