import { Box, Text } from 'ink';
import { memo, useRef } from 'react';
import stringWidth from 'string-width';
import type { ConnectionsPaneText } from '../../core/app/console/screen-model.js';
import type { ConnectionInfo } from '../../core/index.js';
import { useTheme } from '../theme.js';
import { connectionPaneRows } from './pane-rows.js';

export interface ConnectionsPaneProps {
  readonly connections: readonly ConnectionInfo[];
  readonly now: number;
  readonly width: number;
  readonly maxRows: number;
  /** The pane's title and what it says when empty (the controller's words). */
  readonly text: ConnectionsPaneText;
}

/**
How many connections this pane has shown, closed ones included: "all N closed" counts
what the user saw here, not connections that came and went elsewhere (another
view, a stream the pane does not list). Connection numbers only grow, so each
render counts those above the highest it had shown (twice-run renders count once).
*/
function useShownCount(connections: readonly ConnectionInfo[]): number {
  const shown = useRef({ highest: 0, count: 0 });
  const { highest } = shown.current;
  let newest = highest;
  for (const connection of connections) {
    if (connection.id > highest) {
      shown.current.count += 1;
      newest = Math.max(newest, connection.id);
    }
  }
  shown.current.highest = newest;
  return shown.current.count;
}

/**
What the empty pane says: the advice, then what to run or open. That is copied as it
stands, so it is never cut: when the hint does not fit one row, it gets a row of its own.
*/
export function emptyConnectionsHint(
  text: Pick<ConnectionsPaneText, 'empty' | 'copy'>,
  width: number,
  seen = 0,
): string[] {
  const lead = `  ${text.empty(seen)}`;
  return stringWidth(`${lead} ${text.copy}`) <= width ? [`${lead} ${text.copy}`] : [lead, `    ${text.copy}`];
}

/**
The line for the connections not shown: how many, and how many of them are slow, so
a thousand connections stay one readable pane with nothing alarming hidden.
*/
function hiddenSummary(connections: readonly ConnectionInfo[], hidden: number): string {
  let slow = 0;
  for (let index = 0; index < hidden; index += 1) if (connections[index]?.slow === true) slow += 1;
  return `  … ${hidden} more (older)${slow > 0 ? `, ${slow} of them SLOW` : ''}; \`conns\` lists all`;
}

/** Who is connected: the newest connections, one line each; slow ones in red. */
function ConnectionsPaneView({ connections, now, width, maxRows, text }: ConnectionsPaneProps) {
  const theme = useTheme();
  const seen = useShownCount(connections);
  const { header, rows, hidden } = connectionPaneRows(connections, now, width, maxRows);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {text.title} <Text dimColor>({connections.length})</Text>
      </Text>
      {connections.length === 0 ? (
        emptyConnectionsHint(text, width, seen).map((line) => (
          <Text key={line} dimColor wrap="truncate-end">
            {line}
          </Text>
        ))
      ) : (
        <>
          <Text dimColor wrap="truncate-end">
            {header}
          </Text>
          {rows.map((row) => (
            <Text key={row.id} wrap="truncate-end" {...theme.color(row.slow ? 'red' : undefined)}>
              {row.text}
            </Text>
          ))}
          {hidden > 0 ? (
            <Text dimColor wrap="truncate-end">
              {hiddenSummary(connections, hidden)}
            </Text>
          ) : null}
        </>
      )}
    </Box>
  );
}

/**
Memoised: the app redraws on every keystroke (the prompt), and the rows need laying
out again only when a frame brings a new snapshot, clock or size.
*/
export const ConnectionsPane = memo(ConnectionsPaneView);
