import { Box, Static, Text } from 'ink';
import { clockTime } from '../../core/console/format.js';
import { cutToWidth, LINE_COLUMNS, showLine } from '../../core/terminal/terminal-text.js';
import { logKindColors, useTheme } from '../theme.js';
import type { LogBatch, LogLine } from '../use-console-view.js';

/**
Each line of `text` cut to the log's display budget and escaped, so text cannot move
the cursor, recolour the screen or make Ink lay out a huge line. The controller cuts
entries already; this holds for lines made elsewhere (the view's own notes).
*/
export function visibleLines(text: string): string {
  return cutToWidth(text, LINE_COLUMNS)
    .split('\n')
    .map((line) => showLine(line, LINE_COLUMNS))
    .join('\n');
}

/** What a log line says after its time: the user's commands are marked as typed. */
export function logLineText(line: Pick<LogLine, 'kind' | 'text'>): string {
  const text = visibleLines(line.text);
  return line.kind === 'command' ? `› ${text}` : text;
}

function LogLineView({ line }: { readonly line: LogLine }) {
  const theme = useTheme();
  return (
    <Box>
      <Text dimColor>{clockTime(line.time)} </Text>
      <Text {...theme.color(logKindColors[line.kind])} bold={line.kind === 'command'}>
        {logLineText(line)}
      </Text>
    </Box>
  );
}

/**
The log, written once above the live panes and never redrawn (Ink's <Static>), so it
scrolls into the terminal's own scrollback like ordinary output.

Each frame's batch gets its own <Static> (keyed by batch id). <Static> writes the items
it has not written yet, counting by array length; giving it only the new batch, under
a new key, means nothing older has to stay in memory for it to count against. The
`clear` command is handled before a batch is shown: the app writes a clear-screen
(see `clearScreen` in app.tsx) and the lines before the clear are dropped.
*/
export function LogView({ batch }: { readonly batch: LogBatch }) {
  return (
    <Static key={batch.id} items={[...batch.lines]}>
      {(line) => <LogLineView key={line.key} line={line} />}
    </Static>
  );
}
