import { Text } from 'ink';
import { memo } from 'react';
import stringWidth from 'string-width';
import { wrapHanging, wrapText } from '../../core/app/text/wrap-text.js';
import { showLine } from '../../core/terminal/terminal-text.js';
import type { TourStepView } from '../../core/app/console/tour.js';
import type { ConsoleSnapshot } from '../../core/app/console/types.js';
import { useTheme } from '../theme.js';

/**
The tour's current step in rows of `width` columns: one row when it fits, else its
heading, then what to do on rows of its own. That is often a command to type, so it
is wrapped, never cut.
*/
export function tourRows(step: TourStepView, width: number): string[] {
  const heading = showLine(step.heading);
  if (step.instruction === undefined) return wrapText(heading, width);
  const instruction = showLine(step.instruction);
  const oneRow = `${heading} · ${instruction}`;
  if (stringWidth(oneRow) <= width) return [oneRow];
  return [...wrapText(heading, width), ...wrapHanging('  ', instruction, width)];
}

/** Rows the pinned lines take at `width`: the last answer, and the tour step's rows while a tour runs. */
export function pinnedRowCount(snapshot: Pick<ConsoleSnapshot, 'tourStep'>, width: number): number {
  return 1 + (snapshot.tourStep === undefined ? 0 : tourRows(snapshot.tourStep, width).length);
}

/**
The rows kept in a fixed place above the prompt, so a flood in the log cannot scroll
them away: the last typed line with its answer (or, before the first, how to start)
and the tour's current step. The first hint is the controller's: it names only what
that controller runs.
*/
function PinnedLinesView({ snapshot, width }: { readonly snapshot: ConsoleSnapshot; readonly width: number }) {
  const theme = useTheme();
  const reply =
    snapshot.lastReply === undefined
      ? snapshot.screen.firstHint
      : `› ${showLine(snapshot.lastReply.command)} → ${showLine(snapshot.lastReply.answer)}`;
  return (
    <>
      <Text wrap="truncate-end" dimColor={snapshot.lastReply === undefined}>
        {reply}
      </Text>
      {snapshot.tourStep === undefined
        ? null
        : tourRows(snapshot.tourStep, width).map((row, index) => (
            <Text key={index} wrap="truncate-end" {...theme.color('cyan')}>
              {row}
            </Text>
          ))}
    </>
  );
}

/** Memoised: a keystroke redraws the prompt, not these rows (they change with the snapshot or the width). */
export const PinnedLines = memo(PinnedLinesView);
