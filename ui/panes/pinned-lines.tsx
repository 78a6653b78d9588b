import { Text } from 'ink';
import { showLine } from '../../core/terminal/terminal-text.js';
import type { ConsoleSnapshot } from '../../core/app/console/types.js';
import { useTheme } from '../theme.js';

/**
The rows kept in a fixed place above the prompt, so a flood in the log cannot scroll
them away: the last typed line with its answer (or, before the first, how to start)
and the tour's current step. The first hint is the controller's: it names only what
that controller runs.
*/
function pinnedRows(snapshot: Pick<ConsoleSnapshot, 'lastReply' | 'tourStep' | 'screen'>): {
  reply: string;
  tour?: string;
} {
  const reply =
    snapshot.lastReply === undefined
      ? snapshot.screen.firstHint
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
