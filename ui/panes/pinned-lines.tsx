import { Text } from 'ink';
import { showLine } from '../../core/terminal/terminal-text.js';
import type { ConsoleSnapshot } from '../../core/app/console/types.js';
import { useTheme } from '../theme.js';

/** What the first screen says, before anything was typed: how to start. */
const firstHint = '? help · tour · open (a demo page) · Tab completes';

/**
The rows kept in a fixed place above the prompt, so a flood in the log cannot scroll
them away: the last typed line with its answer (or, before the first, how to start)
and the tour's current step.
*/
function pinnedRows(snapshot: Pick<ConsoleSnapshot, 'lastReply' | 'tourStep'>): {
  reply: string;
  tour?: string;
} {
  const reply =
    snapshot.lastReply === undefined
      ? firstHint
      : `› ${showLine(snapshot.lastReply.command)} → ${showLine(snapshot.lastReply.answer)}`;
  return snapshot.tourStep === undefined ? { reply } : { reply, tour: showLine(snapshot.tourStep) };
}

export function PinnedLines({ snapshot }: { readonly snapshot: ConsoleSnapshot }) {
  const theme = useTheme();
  const rows = pinnedRows(snapshot);
  return (
    <>
      <Text wrap="truncate-end" dimColor={snapshot.lastReply === undefined}>
        {rows.reply}
      </Text>
      {rows.tour === undefined ? null : (
        <Text wrap="truncate-end" {...theme.color('cyan')}>
          {rows.tour}
        </Text>
      )}
    </>
  );
}
