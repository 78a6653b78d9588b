import { Box, Text } from 'ink';
import { memo } from 'react';
import type { EventsPaneModel } from '../../core/app/console/screen-model.js';
import { historyPaneRows } from './pane-rows.js';

export interface HistoryPaneProps {
  /** Rows and words: the console's stored events, or the events that passed a proxy. */
  readonly model: EventsPaneModel;
  readonly width: number;
  readonly maxRows: number;
}

/** The newest events, one line each: what a new connection would be replayed, or what just passed. */
function HistoryPaneView({ model, width, maxRows }: HistoryPaneProps) {
  const { header, rows, hidden } = historyPaneRows(model.rows, width, maxRows);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {model.title} <Text dimColor>({model.counts})</Text>
      </Text>
      {model.rows.length === 0 ? (
        <Text dimColor wrap="truncate-end">
          {`  ${model.empty}`}
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
              {`  … ${hidden} older; ${model.older}`}
            </Text>
          ) : null}
        </>
      )}
    </Box>
  );
}

/** Memoised like the connections pane: a keystroke does not lay its rows out again. */
export const HistoryPane = memo(HistoryPaneView);
