import { Box, Text } from 'ink';
import type { HistoryRecord } from '../../core/stream/types.js';
import { historyPaneRows } from './pane-rows.js';

export interface HistoryPaneProps {
  readonly history: readonly HistoryRecord[];
  readonly nextId: number;
  readonly width: number;
  readonly maxRows: number;
}

/** What a new connection would be replayed: the newest stored events, one line each. */
export function HistoryPane({ history, nextId, width, maxRows }: HistoryPaneProps) {
  const { header, rows, hidden } = historyPaneRows(history, width, maxRows);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        Stored events{' '}
        <Text dimColor>
          ({history.length}, next id {nextId})
        </Text>
      </Text>
      {history.length === 0 ? (
        <Text dimColor wrap="truncate-end">
          {'  none yet: `send --data TEXT --id` stores one for replay'}
        </Text>
      ) : (
        <>
          <Text dimColor wrap="truncate-end">
            {header}
          </Text>
          {rows.map((row) => (
            <Text key={row.id} wrap="truncate-end">
              {row.text}
            </Text>
          ))}
          {hidden > 0 ? (
            <Text dimColor wrap="truncate-end">
              {`  … ${hidden} older; \`history\` lists them`}
            </Text>
          ) : null}
        </>
      )}
    </Box>
  );
}
