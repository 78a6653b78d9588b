import type { ConnectionInfo, HistoryRecord } from '../../stream/types.js';
import { LINE_COLUMNS, showLine } from '../../terminal/terminal-text.js';
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

function formatBytes(bytes: number): string {
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

/** Local wall-clock time as HH:MM:SS, or HH:MM:SS.mmm `withMs`: every clock the console and its CLI show. */
export function clockTime(epochMs: number, withMs = false): string {
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const seconds = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withMs ? `${seconds}.${pad(date.getMilliseconds(), 3)}` : seconds;
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

/**
A connection's cells as `conns` and the TUI's connections pane show them (each view
then cuts them to its own widths): one place that says how a connection reads.
*/
export function connectionCells(c: ConnectionInfo, now: number) {
  const host = c.remoteAddress.includes(':') ? `[${c.remoteAddress}]` : c.remoteAddress;
  return {
    conn: `#${c.id}`,
    channel: c.channel ?? '-',
    from: `${host}:${c.remotePort}`,
    path: c.path,
    protocol: c.protocol ?? 'h1',
    /** Raw: the views cut and escape it. */
    lastEventId: c.lastEventIdRequested,
    age: formatAge(now - c.connectedAt),
    events: String(c.eventsSent),
    sent: formatBytes(c.bytesSent),
    buffered: formatBytes(c.bufferedBytes),
    slow: c.slow ? 'SLOW' : '',
  } as const;
}

export function connectionRows(connections: readonly ConnectionInfo[], now: number): string[] {
  if (connections.length === 0) return ['no connections (open a demo page, or `pages` to list them)'];
  // The CHANNEL column appears once a page connects to a channel (/events/NAME).
  const channels = connections.some((c) => c.channel !== undefined);
  return table([
    [
      'CONN',
      ...(channels ? ['CHANNEL'] : []),
      'FROM',
      'PATH',
      'PROTO',
      'LAST-ID',
      'AGE',
      'EVENTS',
      'SENT',
      'BUFFERED',
      'AGENT',
    ],
    ...connections.map((c) => {
      const cells = connectionCells(c, now);
      return [
        cells.conn,
        ...(channels ? [cells.channel] : []),
        cells.from,
        cells.path,
        cells.protocol,
        cells.lastEventId === undefined ? '-' : preview(cells.lastEventId, 12),
        cells.age,
        cells.events,
        cells.sent,
        `${cells.buffered}${c.slow ? ` ${cells.slow}` : ''}`,
        preview(c.userAgent, 40),
      ];
    }),
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
