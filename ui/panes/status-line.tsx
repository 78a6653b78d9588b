import { Box, Text } from 'ink';
import type { ConsoleSnapshot } from '../../core/console/types.js';
import { FIELD_COLUMNS, showLine } from '../../core/terminal/terminal-text.js';
import { useTheme } from '../theme.js';

/** The numbers the status line shows, as words (pure, so tests read them without a terminal). */
export function statusFacts(snapshot: ConsoleSnapshot): string[] {
  const facts = [
    `${snapshot.connections.length} ${snapshot.connections.length === 1 ? 'connection' : 'connections'}`,
    `${snapshot.history.length} stored, next id ${snapshot.nextId}`,
    `${snapshot.jobs.length} ${snapshot.jobs.length === 1 ? 'job' : 'jobs'}`,
    `respond ${snapshot.respondPolicy}`,
  ];
  if (snapshot.raw) facts.push('raw on');
  if (snapshot.remote) {
    // Redacted (token=***) by the remote viewer; cut and escaped here like any log text.
    facts.push(`remote ${snapshot.remote.state} ${showLine(snapshot.remote.url, FIELD_COLUMNS)} (${snapshot.remote.events} events)`);
  }
  return facts;
}

/** Two lines: where the stream and pages are, then what the console holds. */
export function StatusLine({ snapshot }: { readonly snapshot: ConsoleSnapshot }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>SSE </Text>
        <Text {...theme.color('cyan')}>{snapshot.sseUrl}</Text>
        <Text bold>{'   pages '}</Text>
        <Text {...theme.color('cyan')}>{snapshot.pagesUrl}</Text>
      </Text>
      <Text wrap="truncate-end" dimColor>
        {statusFacts(snapshot).join(' · ')}
      </Text>
    </Box>
  );
}
