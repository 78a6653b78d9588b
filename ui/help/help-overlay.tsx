import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';

export interface HelpOverlayProps {
  readonly lines: readonly string[];
  /** First line shown. */
  readonly offset: number;
  /** Lines shown at once. */
  readonly height: number;
}

/** Columns the overlay's border (2) and padding (2) take from the terminal's width: its lines get the rest. */
export const helpOverlayChrome = 4;

/** The largest useful offset: the last page ends at the last line. */
export function lastHelpOffset(lineCount: number, height: number): number {
  return Math.max(0, lineCount - height);
}

/**
The `?` overlay: commands and keys, in place of the panes and as tall as they may be,
scrolled with ↑/↓ and PgUp/PgDn. Its lines come wrapped to its inner width
(`helpOverlayChrome`), so no description is cut.
*/
export function HelpOverlay({ lines, offset, height }: HelpOverlayProps) {
  const theme = useTheme();
  const start = Math.min(Math.max(0, offset), lastHelpOffset(lines.length, height));
  const shown = lines.slice(start, start + height);
  const end = start + shown.length;
  return (
    <Box flexDirection="column" borderStyle="round" {...theme.borderColor('cyan')} paddingX={1}>
      {shown.map((line, index) => (
        <Text key={start + index} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {lines.length > height
          ? `lines ${start + 1}–${end} of ${lines.length} · ↑/↓ PgUp/PgDn scroll · Esc closes`
          : 'Esc closes'}
      </Text>
    </Box>
  );
}
