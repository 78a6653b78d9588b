import type { LogEntry, LogKind } from './types.js';

/**
The `filter` and `pause` commands: which activity lines reach the log. Activity is
what happens on its own (sends of a job, connections, replays, page requests);
the user's commands and their answers, errors and warnings always pass, or the
user could no longer see what they asked for.
*/

/** Kinds that are never activity. */
const answerKinds: ReadonlySet<LogKind> = new Set<LogKind>(['command', 'output', 'error', 'warn', 'info', 'clear']);

export interface LogFilter {
  /** Lower-cased words: a kind name or text to look for; empty shows everything. */
  readonly words: readonly string[];
  readonly paused: boolean;
  /** Activity lines held back since the pause began. */
  readonly heldBack: number;
}

export const openFilter: LogFilter = { words: [], paused: false, heldBack: 0 };

// Every kind, so a word that names one is taken as a kind, not as text ("connect" is in "to 2 connections").
const kindNames: Record<LogKind, true> = {
  command: true,
  output: true,
  error: true,
  warn: true,
  info: true,
  connect: true,
  disconnect: true,
  send: true,
  comment: true,
  replay: true,
  gap: true,
  refused: true,
  page: true,
  job: true,
  raw: true,
  remote: true,
  clear: true,
};

function isKind(word: string): word is LogKind {
  return Object.hasOwn(kindNames, word);
}

/** Whether an activity line matches: one word is its kind, or a word that is no kind appears in its text. */
function matchesWords(entry: Pick<LogEntry, 'kind' | 'text'>, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const text = entry.text.toLowerCase();
  return words.some((word) => (isKind(word) ? word === entry.kind : text.includes(word)));
}

/** Whether the entry is logged under the filter (replies and answers always are). */
export function passes(entry: Pick<LogEntry, 'kind' | 'text' | 'reply'>, filter: LogFilter): boolean {
  if (entry.reply === true || answerKinds.has(entry.kind)) return true;
  return !filter.paused && matchesWords(entry, filter.words);
}

/** The filter in words, for the status line and `filter`. */
export function describeFilter(filter: LogFilter): string | undefined {
  if (filter.paused) return 'log paused (`resume`)';
  return filter.words.length === 0 ? undefined : `filter ${filter.words.join(' ')}`;
}
