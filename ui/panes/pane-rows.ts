import { clockTime, connectionCells } from '../../core/app/console/format.js';
import { connectionFieldPriority as priority } from '../../core/app/console/connection-columns.js';
import { layoutRow, type Column } from '../../core/app/text/columns.js';
import { showLine } from '../../core/terminal/terminal-text.js';
import type { PaneEvent } from '../../core/app/console/screen-model.js';
import type { ConnectionInfo } from '../../core/index.js';
import { agentName } from '../../core/app/console/agent-name.js';

/**
The live panes as fixed-width text rows, computed here (pure) so the views only pick
colours. Every row fits the terminal width: a row that wrapped would make the live
area taller than planned, and Ink redraws the whole screen once it is taller than
the terminal. Widths are display columns (string-width), not UTF-16 units: a CJK
character or an emoji takes two. When the columns do not all fit, they give way by
the rule in core/app/text/columns.ts, so what a user acts on (the id, the path, the
data) survives on narrow terminals.
*/

// Priorities: the connection facts' own (connection-columns.ts), as `conns` uses them.
const connectionColumns: readonly Column[] = [
  { title: '#', width: 5 },
  { title: 'remote', width: 21, priority: priority.from },
  { title: 'client', width: 16, priority: priority.client },
  { title: 'path', width: 'rest' },
  { title: 'last-id', width: 8, priority: priority.lastEventId },
  { title: 'age', width: 6, align: 'right', priority: priority.age },
  { title: 'events', width: 7, align: 'right', priority: priority.events },
  { title: 'buffered', width: 9, align: 'right', priority: priority.buffered },
  { title: '', width: 4, priority: priority.slow },
];

/**
With an HTTP/2 connection among them (`--http2`), a `proto` column after the id.
Plain HTTP/1.1 keeps the columns above. At 80 columns it takes the place of
`buffered` (the SLOW flag stays), since the remote address is already left out.
*/
const connectionColumnsWithProtocol: readonly Column[] = [
  connectionColumns[0] ?? { title: '#', width: 5 },
  { title: 'proto', width: 5, priority: priority.protocol },
  ...connectionColumns.slice(1),
];

const historyColumns: readonly Column[] = [
  { title: 'id', width: 6, align: 'right' },
  { title: 'event', width: 16, priority: 1 },
  { title: 'data', width: 'rest' },
  { title: 'time', width: 8, priority: 2 },
];

/**
Events that went to one connection each (proxy mode: every stream has its own), with
ids as an app wrote them (any text, or none): which connection first, then the id
left-aligned and wider.
*/
const perConnectionColumns: readonly Column[] = [
  { title: 'conn', width: 5 },
  { title: 'id', width: 12 },
  { title: 'event', width: 14, priority: 1 },
  { title: 'data', width: 'rest' },
  { title: 'time', width: 8, priority: 2 },
];

/** No cell is wider than a terminal, so long values are cut (then escaped) to this many columns first. */
const longestShown = 400;

function cell(text: string): string {
  return showLine(text, longestShown);
}

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

/** The newest `maxRows` connections, oldest of them first (the order they arrived). */
export function connectionPaneRows(
  connections: readonly ConnectionInfo[],
  now: number,
  width: number,
  maxRows: number,
): PaneRows<ConnectionRow> {
  const shown = maxRows > 0 ? connections.slice(-maxRows) : [];
  const withProtocol = shown.some((connection) => connection.protocol === 'h2');
  const columns = withProtocol ? connectionColumnsWithProtocol : connectionColumns;
  return {
    header: layoutRow(
      columns.map((column) => column.title),
      columns,
      width,
    ),
    rows: shown.map((connection) => {
      const cells = connectionCells(connection, now);
      return {
        id: connection.id,
        slow: connection.slow,
        text: layoutRow(
          [
            cells.conn,
            ...(withProtocol ? [cells.protocol] : []),
            cells.from,
            cell(agentName(connection.userAgent)),
            cell(cells.path),
            cells.lastEventId === undefined ? '-' : cell(cells.lastEventId),
            cells.age,
            cells.events,
            cells.buffered,
            cells.slow,
          ],
          columns,
          width,
        ),
      };
    }),
    hidden: connections.length - shown.length,
  };
}

/**
The newest `maxRows` events, oldest of them first; data on one line, control characters
shown. An event without an id shows none; with a connection (proxy mode), its number leads.
*/
export function historyPaneRows(history: readonly PaneEvent[], width: number, maxRows: number): PaneRows<HistoryRow> {
  const shown = maxRows > 0 ? history.slice(-maxRows) : [];
  const perConnection = history.some((record) => record.conn !== undefined);
  const columns = perConnection ? perConnectionColumns : historyColumns;
  return {
    header: layoutRow(
      columns.map((column) => column.title),
      columns,
      width,
    ),
    rows: shown.map((record, index) => ({
      id: history.length - shown.length + index + 1,
      text: layoutRow(
        [
          ...(perConnection ? [record.conn === undefined ? '' : `#${record.conn}`] : []),
          record.id === undefined ? '' : cell(String(record.id)),
          cell(record.event ?? 'message'),
          cell(record.data),
          clockTime(record.storedAt),
        ],
        columns,
        width,
      ),
    })),
    hidden: history.length - shown.length,
  };
}
