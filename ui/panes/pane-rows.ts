import { clockTime, formatAge, formatBytes, visible } from '../../core/console/format.js';
import type { ConnectionInfo, HistoryRecord } from '../../core/stream/types.js';
import { agentName } from '../agent-name.js';

/**
The live panes as fixed-width text rows, computed here (pure) so the views only pick
colours. Every row fits the terminal width: a row that wrapped would make the live
area taller than planned, and Ink redraws the whole screen once it is taller than
the terminal.
*/

export interface Column {
  readonly title: string;
  /** Characters; 'rest' takes what the fixed columns leave. */
  readonly width: number | 'rest';
  readonly align?: 'left' | 'right';
}

/** A cell padded or cut (with "…") to exactly `width` characters. */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

const smallestRest = 6;

/** One row: cells in their columns, one space apart, trailing spaces trimmed. */
export function layoutRow(cells: readonly string[], columns: readonly Column[], totalWidth: number): string {
  const fixed = columns.reduce((sum, column) => sum + (column.width === 'rest' ? 0 : column.width), 0);
  const rest = Math.max(smallestRest, totalWidth - fixed - (columns.length - 1));
  return columns
    .map((column, index) => fitCell(cells[index] ?? '', column.width === 'rest' ? rest : column.width, column.align))
    .join(' ')
    .trimEnd();
}

export const connectionColumns: readonly Column[] = [
  { title: '#', width: 5 },
  { title: 'remote', width: 21 },
  { title: 'client', width: 16 },
  { title: 'path', width: 'rest' },
  { title: 'last-id', width: 8 },
  { title: 'age', width: 6, align: 'right' },
  { title: 'events', width: 7, align: 'right' },
  { title: 'buffered', width: 9, align: 'right' },
  { title: '', width: 4 },
];

export const historyColumns: readonly Column[] = [
  { title: 'id', width: 6, align: 'right' },
  { title: 'event', width: 16 },
  { title: 'data', width: 'rest' },
  { title: 'time', width: 8 },
];

/** No cell is wider than a terminal, so long values are cut before they are made visible. */
const longestShown = 400;

export interface PaneRows<Row> {
  readonly header: string;
  readonly rows: readonly Row[];
  /** How many older entries are not shown. */
  readonly hidden: number;
}

export interface ConnectionRow {
  readonly id: number;
  readonly text: string;
  readonly slow: boolean;
}

export interface HistoryRow {
  /** The record's 1-based position in the history: unique, unlike event ids (which may repeat). */
  readonly id: number;
  readonly text: string;
}

function remoteAddress(connection: ConnectionInfo): string {
  const host = connection.remoteAddress.includes(':') ? `[${connection.remoteAddress}]` : connection.remoteAddress;
  return `${host}:${connection.remotePort}`;
}

/** The newest `maxRows` connections, oldest of them first (the order they arrived). */
export function connectionPaneRows(
  connections: readonly ConnectionInfo[],
  now: number,
  width: number,
  maxRows: number,
): PaneRows<ConnectionRow> {
  const shown = maxRows > 0 ? connections.slice(-maxRows) : [];
  return {
    header: layoutRow(connectionColumns.map((column) => column.title), connectionColumns, width),
    rows: shown.map((connection) => ({
      id: connection.id,
      slow: connection.slow,
      text: layoutRow(
        [
          `#${connection.id}`,
          remoteAddress(connection),
          visible(agentName(connection.userAgent)),
          visible(connection.path.slice(0, longestShown)),
          connection.lastEventIdRequested === undefined ? '-' : visible(connection.lastEventIdRequested.slice(0, longestShown)),
          formatAge(now - connection.connectedAt),
          String(connection.eventsSent),
          formatBytes(connection.bufferedBytes),
          connection.slow ? 'SLOW' : '',
        ],
        connectionColumns,
        width,
      ),
    })),
    hidden: connections.length - shown.length,
  };
}

/** The newest `maxRows` stored events, oldest of them first; data on one line, control characters shown. */
export function historyPaneRows(
  history: readonly HistoryRecord[],
  width: number,
  maxRows: number,
): PaneRows<HistoryRow> {
  const shown = maxRows > 0 ? history.slice(-maxRows) : [];
  return {
    header: layoutRow(historyColumns.map((column) => column.title), historyColumns, width),
    rows: shown.map((record, index) => ({
      id: history.length - shown.length + index + 1,
      text: layoutRow(
        [
          visible(String(record.id).slice(0, longestShown)),
          visible((record.event ?? 'message').slice(0, longestShown)),
          visible(record.data.slice(0, longestShown)),
          clockTime(record.storedAt),
        ],
        historyColumns,
        width,
      ),
    })),
    hidden: history.length - shown.length,
  };
}
