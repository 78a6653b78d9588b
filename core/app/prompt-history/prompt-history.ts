import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { existingDirectoryProblem, privateDirectoryProblem, writePrivateFile } from '../state/private-state.js';

/**
The prompt's ↑/↓ history, kept across runs in a small text file: one typed line per
line, oldest first. The file is rewritten whole on every append (it holds at most a
few hundred short lines), through a temporary file created exclusively (a random
name, never through a symlink) and a rename, so a crash leaves either the old or the
new file and never a torn one. It is saved only in a directory no one else can write.
*/

/** Most lines kept, in memory and on disk. */
export const promptHistoryLimit = 500;

export interface LoadedPromptHistory {
  /** Oldest first. */
  readonly lines: readonly string[];
  /** Set when the file exists but could not be read; the history then starts empty. */
  readonly warning?: string;
}

/** One stored line: line breaks would split an entry in the file, so they become spaces. */
function normalise(line: string): string {
  return line.replace(/\r\n|\r|\n/g, ' ');
}

/**
Adds a line to an in-memory history: blank lines and a repeat of the newest line are
not added, and the oldest lines are dropped past `limit`. Returns a new array.
*/
export function pushPromptHistory(
  lines: readonly string[],
  line: string,
  limit: number = promptHistoryLimit,
): readonly string[] {
  const entry = normalise(line);
  if (entry.trim() === '' || lines.at(-1) === entry) return lines;
  const next = [...lines, entry];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** Parses the file's text: blank lines and consecutive repeats are skipped, the newest `limit` kept. */
export function parsePromptHistory(text: string, limit: number = promptHistoryLimit): readonly string[] {
  let lines: readonly string[] = [];
  for (const line of text.split(/\r?\n/)) lines = pushPromptHistory(lines, line, Number.POSITIVE_INFINITY);
  return lines.length > limit ? lines.slice(lines.length - limit) : lines;
}

function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}

/**
Reads the history file; a missing file is an empty history, any other failure a
warning. A file in a directory other users can write is not read: its lines come
back under ↑ and run on Enter, so a planted one could run a command the user never
typed.
*/
export async function loadPromptHistory(
  file: string,
  limit: number = promptHistoryLimit,
): Promise<LoadedPromptHistory> {
  try {
    const unsafe = existingDirectoryProblem(dirname(file));
    if (unsafe !== undefined) {
      return { lines: [], warning: `the prompt history is not read: ${unsafe}; ↑/↓ start empty this run` };
    }
    return { lines: parsePromptHistory(await readFile(file, 'utf8'), limit) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [] };
    return {
      lines: [],
      warning: `could not read the prompt history ${file} (${reason(error)}); ↑/↓ start empty this run`,
    };
  }
}

/**
Appends one line to the history file (same rules as `pushPromptHistory`), creating
its directory (0700) and the file (0600) if needed. Rejects with an error that names
the file when it cannot be read or written, or when others can write its directory.
*/
export async function appendPromptHistory(
  file: string,
  line: string,
  limit: number = promptHistoryLimit,
): Promise<void> {
  let existing: readonly string[] = [];
  try {
    existing = parsePromptHistory(await readFile(file, 'utf8'), limit);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`could not read the prompt history ${file} (${reason(error)})`, { cause: error });
    }
  }
  const next = pushPromptHistory(existing, line, limit);
  if (next === existing) return;
  let unsafe: string | undefined;
  try {
    unsafe = privateDirectoryProblem(dirname(file));
    if (unsafe === undefined) writePrivateFile(file, `${next.join('\n')}\n`);
  } catch (error) {
    throw new Error(
      `could not save the prompt history ${file} (${reason(error)}); check that its directory is writable`,
      { cause: error },
    );
  }
  if (unsafe !== undefined) throw new Error(`the prompt history is not saved: ${unsafe}`);
}
