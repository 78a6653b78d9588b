import type { HistoryFileProblem } from '../../index.js';
import type { LogKind } from './types.js';
import { errorMessage } from './error-message.js';

/**
What loading or saving a history file tells the user, in words: a file that is not
a history file is one warning, not one per line; file-system errors say what is
wrong with the path, not `ENOENT … .tmp`.
*/

export interface Note {
  readonly kind: LogKind;
  readonly text: string;
}

export function loadProblemNotes(
  file: string,
  loaded: { readonly records: readonly unknown[]; readonly problems: readonly HistoryFileProblem[] },
): Note[] {
  const { problems } = loaded;
  if (problems.length === 0) return [];
  if (loaded.records.length === 0) {
    const lines = problems.length === 1 ? 'its one line is not' : `none of its ${problems.length} lines is`;
    const first = problems[0];
    const where = first?.line === undefined ? '' : `; line ${first.line}: ${first.reason}`;
    return [
      {
        kind: 'warn',
        text: `${file} is not a history file: ${lines} a stored event (\`history save FILE\` writes one)${where}`,
      },
    ];
  }
  // A history file with some bad lines: each one, so they can be found and fixed.
  return problems.map((problem) => ({ kind: 'warn', text: `${file}:${problem.line}: ${problem.reason}` }));
}

/** How many events a load restored, and how many the history limit left out. */
export function restoredNote(file: string, inFile: number, kept: number): Note {
  const limited = kept < inFile ? ` (the file holds ${inFile}; the history limit keeps the newest ${kept})` : '';
  return { kind: 'info', text: `restored ${kept} ${kept === 1 ? 'event' : 'events'} from ${file}${limited}` };
}

const fsReasons: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/** A file-system error as a reason a person can act on. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && fsReasons[code] !== undefined) return fsReasons[code];
  return code ?? errorMessage(error);
}
