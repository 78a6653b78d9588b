import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import type { ConsoleSnapshot } from '../../core/app/console/types.js';
import { wrapText } from '../../core/app/text/wrap-text.js';
import { FIELD_COLUMNS, showLine } from '../../core/terminal/terminal-text.js';
import { useTheme } from '../theme.js';

/** The numbers the status line shows, as words (pure, so tests read them without a terminal). */
function statusFacts(snapshot: ConsoleSnapshot): string[] {
  const facts = [
    `${snapshot.connections.length} ${snapshot.connections.length === 1 ? 'connection' : 'connections'}`,
    `${snapshot.history.length} stored, next id ${snapshot.nextId}`,
    `${snapshot.jobs.length} ${snapshot.jobs.length === 1 ? 'job' : 'jobs'}`,
    `respond ${snapshot.respondPolicy}`,
  ];
  if (snapshot.raw) facts.push('raw on');
  if (snapshot.logFilter !== undefined) facts.push(snapshot.logFilter);
  if (snapshot.remote) {
    // Redacted (token=***) by the remote viewer; cut and escaped here like any log text.
    facts.push(
      `remote ${snapshot.remote.state} ${showLine(snapshot.remote.url, FIELD_COLUMNS)} (${snapshot.remote.events} events)`,
    );
  }
  return facts;
}

const urlGap = '   ';

/**
Whether both URLs fit on one row of `width` columns. They are what the user copies
into a browser or curl, so they are never cut: on a narrow terminal the pages URL
gets a row of its own instead.
*/
export function urlsFitOneRow(snapshot: Pick<ConsoleSnapshot, 'sseUrl' | 'pagesUrl'>, width: number): boolean {
  return stringWidth(`SSE ${snapshot.sseUrl}${urlGap}pages ${snapshot.pagesUrl}`) <= width;
}

const factGap = ' · ';

/**
The facts in rows of `width` columns, as many to a row as fit: a fact (a filter, a
remote URL) is never cut, it starts a row of its own and wraps if longer than one.
*/
export function factRows(facts: readonly string[], width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const fact of facts) {
    if (row !== '' && stringWidth(`${row}${factGap}${fact}`) <= width) {
      row = `${row}${factGap}${fact}`;
      continue;
    }
    if (row !== '') rows.push(row);
    const pieces = wrapText(fact, width);
    row = pieces.pop() ?? '';
    rows.push(...pieces);
  }
  if (row !== '') rows.push(row);
  return rows;
}

/** Rows the status line takes at `width`: the URLs' one or two, and the facts'. */
export function statusRows(snapshot: ConsoleSnapshot, width: number): number {
  return (urlsFitOneRow(snapshot, width) ? 1 : 2) + factRows(statusFacts(snapshot), width).length;
}

/** Where the stream and pages are (one row, or two on a narrow terminal), then what the console holds. */
export function StatusLine({ snapshot, width }: { readonly snapshot: ConsoleSnapshot; readonly width: number }) {
  const theme = useTheme();
  const pages = (
    <>
      <Text bold>{'pages '}</Text>
      <Text {...theme.color('cyan')}>{snapshot.pagesUrl}</Text>
    </>
  );
  const oneRow = urlsFitOneRow(snapshot, width);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>SSE </Text>
        <Text {...theme.color('cyan')}>{snapshot.sseUrl}</Text>
        {oneRow ? (
          <>
            {urlGap}
            {pages}
          </>
        ) : null}
      </Text>
      {oneRow ? null : <Text wrap="truncate-end">{pages}</Text>}
      {factRows(statusFacts(snapshot), width).map((row, index) => (
        <Text key={index} wrap="truncate-end" dimColor>
          {row}
        </Text>
      ))}
    </Box>
  );
}
