import type { LogEntry } from './types.js';

/** A typed line's answer in one line: its first problem, its only line, or how many lines it wrote. */
export function summarizeReply(lines: readonly LogEntry[]): string {
  const problem = lines.find((entry) => entry.kind === 'error' || entry.kind === 'warn');
  if (problem) return problem.text;
  if (lines.length === 0) return 'done';
  if (lines.length === 1) return lines[0]?.text ?? '';
  return `${lines.length} lines in the log above`;
}
