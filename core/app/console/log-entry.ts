import { cutToWidth, LINE_COLUMNS, showLine } from '../../terminal/terminal-text.js';
import type { LogRecord } from './log-records.js';
import type { LogEntry, LogKind } from './types.js';

/**
A log line as every view gets it. It is cut to the display budget here, so no view
ever holds or lays out a huge one; an error or warning is also escaped now, so it is
one line even when it quotes a typed name (a page, a file) holding line breaks or
escape sequences. `reply`: logged while a typed line runs, so part of its answer.
*/
export function logEntry(
  seq: number,
  time: number,
  kind: LogKind,
  text: string,
  fields: LogRecord | undefined,
  reply: boolean,
): LogEntry {
  const shown = kind === 'error' || kind === 'warn' ? showLine(text, LINE_COLUMNS) : cutToWidth(text, LINE_COLUMNS);
  return {
    seq,
    time,
    kind,
    text: shown,
    ...(fields ? { fields } : {}),
    ...(reply ? { reply: true as const } : {}),
  };
}

/** Whether a reply line counts in the one-line answer above the prompt (not the echo, a clear or a blank). */
export function summarizesReply(entry: LogEntry): boolean {
  return entry.kind !== 'command' && entry.kind !== 'clear' && entry.text.trim() !== '';
}
