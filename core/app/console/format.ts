import type { ConnectionInfo, HistoryRecord } from '../../index.js';
import stringWidth from 'string-width';
import { LINE_COLUMNS, showLine } from '../../terminal/terminal-text.js';
import { visibleColumns, layoutRow, type Column } from '../text/columns.js';
import { agentName } from './agent-name.js';
import { connectionFieldPriority } from './connection-columns.js';
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

/** A `conns` column: its title, its cell, and how soon it gives way (connection-columns.ts). */
interface ConnsColumn {
  readonly title: string;
  readonly cell: (c: ConnectionInfo, cells: ReturnType<typeof connectionCells>) => string;
  readonly priority: number | undefined;
}

function connsColumns(connections: readonly ConnectionInfo[], fitted: boolean): ConnsColumn[] {
  // The CHANNEL column appears once a page connects to a channel (/events/NAME).
  const channels = connections.some((c) => c.channel !== undefined);
  const column = (
    title: string,
    field: keyof typeof connectionFieldPriority,
    cell: ConnsColumn['cell'],
  ): ConnsColumn => ({ title, cell, priority: connectionFieldPriority[field] });
  return [
    column('CONN', 'conn', (_c, cells) => cells.conn),
    ...(channels ? [column('CHANNEL', 'channel', (_c, cells) => cells.channel)] : []),
    column('FROM', 'from', (_c, cells) => cells.from),
    column('PATH', 'path', (_c, cells) => cells.path),
    column('PROTO', 'protocol', (_c, cells) => cells.protocol),
    column('LAST-ID', 'lastEventId', (_c, cells) =>
      cells.lastEventId === undefined ? '-' : preview(cells.lastEventId, 12),
    ),
    column('AGE', 'age', (_c, cells) => cells.age),
    column('EVENTS', 'events', (_c, cells) => cells.events),
    column('SENT', 'sent', (_c, cells) => cells.sent),
    // Fitted to a width, the SLOW flag is a column of its own, kept longer than the byte count.
    ...(fitted
      ? [
          column('BUFFERED', 'buffered', (_c, cells) => cells.buffered),
          // The pane's short name ("Firefox 128"): the whole User-Agent would take the row.
          column('AGENT', 'client', (c) => preview(agentName(c.userAgent), 16)),
          column('', 'slow', (_c, cells) => cells.slow),
        ]
      : [
          column('BUFFERED', 'buffered', (c, cells) => `${cells.buffered}${c.slow ? ` ${cells.slow}` : ''}`),
          column('AGENT', 'client', (c) => preview(c.userAgent, 40)),
        ]),
  ];
}

/** Cells two columns apart, as `table` sets them. */
const connsGap = 2;

/**
`conns`: one row per connection. With `width` (the TUI's log width) each row fits it:
columns give way by the connections pane's priorities, then the path is cut; without
(line mode, pipes) every column is shown in full.
*/
export function connectionRows(connections: readonly ConnectionInfo[], now: number, width?: number): string[] {
  if (connections.length === 0) return ['no connections (open a demo page, or `pages` to list them)'];
  const columns = connsColumns(connections, width !== undefined);
  const body = connections.map((c) => {
    const cells = connectionCells(c, now);
    return columns.map((column) => column.cell(c, cells));
  });
  const titles = columns.map((column) => column.title);
  if (width === undefined) return table([titles, ...body]);
  const laidOut: Column[] = columns.map((column, index) => ({
    title: column.title,
    width: Math.max(stringWidth(column.title), ...body.map((row) => stringWidth(row[index] ?? ''))),
    ...(column.priority === undefined ? {} : { priority: column.priority }),
  }));
  const shown = visibleColumns(laidOut, width, connsGap);
  const taken = shown.reduce((sum, column) => sum + (column.width === 'rest' ? 0 : column.width), 0);
  const over = taken + connsGap * (shown.length - 1) - width;
  // Only the never-dropped columns are left and still too wide: the path gives up its end.
  const fitted =
    over > 0
      ? laidOut.map((column) =>
          column.title === 'PATH' && typeof column.width === 'number'
            ? { ...column, width: Math.max(8, column.width - over) }
            : column,
        )
      : laidOut;
  return [titles, ...body].map((cells) => layoutRow(cells, fitted, width, connsGap));
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
