import { Box, Static, Text } from 'ink';
import { clockTime } from '../../core/app/console/format.js';
import { cutToWidth, LINE_COLUMNS, showLine } from '../../core/terminal/terminal-text.js';
import { logKindColors, useTheme } from '../theme.js';
import type { LogBatch, LogLine } from '../use-console-view.js';
import { logRows } from './log-rows.js';

/**
Each line of `text` cut to the log's display budget and escaped, so text cannot move
the cursor, recolour the screen or make Ink lay out a huge line. The controller cuts
entries already; this holds for lines made elsewhere (the view's own notes).
*/
function visibleLines(text: string): string {
  return cutToWidth(text, LINE_COLUMNS)
    .split('\n')
    .map((line) => showLine(line, LINE_COLUMNS))
    .join('\n');
}

/** What a log line says after its time: the user's commands are marked as typed. */
function logLineText(line: Pick<LogLine, 'kind' | 'text'>): string {
  const text = visibleLines(line.text);
  return line.kind === 'command' ? `› ${text}` : text;
}

function LogLineView({ line, width }: { readonly line: LogLine; readonly width: number }) {
  const theme = useTheme();
  // The rows are cut to fit already; `truncate-end` only guards against a measuring disagreement with the terminal.
  return (
    <Box flexDirection="column">
      {logRows(clockTime(line.time), logLineText(line), width).map((row, index) => (
        <Text key={index} wrap="truncate-end">
          <Text dimColor>{row.prefix}</Text>
          <Text {...theme.color(logKindColors[line.kind])} bold={line.kind === 'command'}>
            {row.text}
          </Text>
        </Text>
      ))}
    </Box>
  );
}

/**
The log, written once above the live panes and never redrawn (Ink's <Static>), so it
scrolls into the terminal's own scrollback like ordinary output.

Each frame's batch gets its own <Static> (keyed by batch id). <Static> writes the items
it has not written yet, counting by array length; giving it only the new batch, under
a new key, means nothing older has to stay in memory for it to count against. Each
line is laid out in rows of the terminal's `width` (see log-rows.ts). The
`clear` command is handled before a batch is shown: the app writes a clear-screen
(see `clearScreen` in app.tsx) and the lines before the clear are dropped.
*/
export function LogView({ batch, width }: { readonly batch: LogBatch; readonly width: number }) {
  return (
    <Static key={batch.id} items={[...batch.lines]}>
      {(line) => <LogLineView key={line.key} line={line} width={width} />}
    </Static>
  );
}
