import type { ConnectionInfo, HistoryRecord } from '../stream/types.js';
import { LINE_COLUMNS, showLine } from '../terminal/terminal-text.js';
import type { JobInfo } from './types.js';

/** A short excerpt of text for one log line or cell: cut to `max` columns, then escaped. */
export function preview(text: string, max = 60): string {
  return showLine(text, max);
}

/** The exact bytes of a send, one wire line per log line, with line endings shown. */
export function rawLines(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const lines: string[] = [];
  for (const match of text.matchAll(/([^\r\n]*)(\r\n|\r|\n)/g)) {
    const ending = match[2] === '\r\n' ? '\\r\\n' : match[2] === '\r' ? '\\r' : '\\n';
    lines.push(`${showLine(match[1] ?? '', LINE_COLUMNS)}${ending}`);
  }
  return lines;
}

/** `1 event`, `2 events`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  '),
  );
}

export function connectionRows(connections: readonly ConnectionInfo[], now: number): string[] {
  if (connections.length === 0) return ['no connections (open a demo page, or `pages` to list them)'];
  // The CHANNEL column appears once a page connects to a channel (/events/NAME).
  const channels = connections.some((c) => c.channel !== undefined);
  return table([
    ['CONN', ...(channels ? ['CHANNEL'] : []), 'FROM', 'PATH', 'LAST-ID', 'AGE', 'EVENTS', 'SENT', 'BUFFERED', 'AGENT'],
    ...connections.map((c) => [
      `#${c.id}`,
      ...(channels ? [c.channel ?? '-'] : []),
      `${c.remoteAddress}:${c.remotePort}`,
      c.path,
      c.lastEventIdRequested === undefined ? '-' : preview(c.lastEventIdRequested, 12),
      formatAge(now - c.connectedAt),
      String(c.eventsSent),
      formatBytes(c.bytesSent),
      `${formatBytes(c.bufferedBytes)}${c.slow ? ' SLOW' : ''}`,
      preview(c.userAgent, 40),
    ]),
  ]);
}

export function historyRows(history: readonly HistoryRecord[], limit = 50): string[] {
  if (history.length === 0) return ['history is empty (events sent with --id are stored here)'];
  const shown = history.slice(-limit);
  const rows = table([
    ['ID', 'EVENT', 'TIME', 'DATA'],
    ...shown.map((r) => [preview(String(r.id), 40), r.event ?? 'message', clockTime(r.storedAt), preview(r.data)]),
  ]);
  if (history.length > shown.length) rows.push(`… and ${history.length - shown.length} older events`);
  return rows;
}

export function jobRows(jobs: readonly JobInfo[]): string[] {
  if (jobs.length === 0) return ['no jobs (start one with `every 1s send --data "{time}"`)'];
  return table([
    ['JOB', 'EVERY', 'RUNS', 'COMMAND'],
    // Interval 0: a job on its own timing (replay).
    ...jobs.map((j) => [
      String(j.id),
      j.intervalMs === 0 ? 'recorded' : formatDuration(j.intervalMs),
      String(j.runs),
      j.source,
    ]),
  ]);
}
