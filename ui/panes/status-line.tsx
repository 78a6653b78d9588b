import { Box, Text } from 'ink';
import { memo } from 'react';
import stringWidth from 'string-width';
import type { ScreenAddress, ScreenModel } from '../../core/app/console/screen-model.js';
import type { ConsoleSnapshot } from '../../core/app/console/types.js';
import { wrapText } from '../../core/app/text/wrap-text.js';
import { FIELD_COLUMNS, showLine } from '../../core/terminal/terminal-text.js';
import { useTheme } from '../theme.js';

/** The numbers the status line shows, as words (pure, so tests read them without a terminal). */
function statusFacts(snapshot: ConsoleSnapshot): string[] {
  const facts = [
    // What is counted depends on the controller (connections, stored events, jobs …).
    ...snapshot.screen.counts,
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

type Addresses = Pick<ScreenModel, 'addresses'>;

/**
Whether the addresses fit on one row of `width` columns. They are what the user copies
into a browser or curl, so they are never cut: on a narrow terminal each gets a row
of its own instead.
*/
export function urlsFitOneRow(screen: Addresses, width: number): boolean {
  return stringWidth(screen.addresses.map(({ label, url }) => `${label} ${url}`).join(urlGap)) <= width;
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

/** Rows the status line takes at `width`: the addresses (one row, or one each), then the facts'. */
export function statusRows(snapshot: ConsoleSnapshot, width: number): number {
  const { screen } = snapshot;
  return (urlsFitOneRow(screen, width) ? 1 : screen.addresses.length) + factRows(statusFacts(snapshot), width).length;
}

/** One labelled address; one shown for reference only (not to open) is dim. */
function AddressText({ address }: { readonly address: ScreenAddress }) {
  const theme = useTheme();
  return (
    <>
      <Text bold={address.opens} dimColor={!address.opens}>{`${address.label} `}</Text>
      <Text {...(address.opens ? theme.color('cyan') : { dimColor: true })}>{address.url}</Text>
    </>
  );
}

/** Where to connect (one row, or a row each on a narrow terminal), then what the console holds. */
function StatusLineView({ snapshot, width }: { readonly snapshot: ConsoleSnapshot; readonly width: number }) {
  const { addresses } = snapshot.screen;
  const rows = urlsFitOneRow(snapshot.screen, width) ? [addresses] : addresses.map((address) => [address]);
  return (
    <Box flexDirection="column">
      {rows.map((row) => (
        <Text key={row[0]?.label} wrap="truncate-end">
          {row.map((address, index) => (
            <Text key={address.label}>
              {index > 0 ? urlGap : ''}
              <AddressText address={address} />
            </Text>
          ))}
        </Text>
      ))}
      {factRows(statusFacts(snapshot), width).map((row, index) => (
        <Text key={index} wrap="truncate-end" dimColor>
          {row}
        </Text>
      ))}
    </Box>
  );
}

/** Memoised: a keystroke redraws the prompt, not these rows (they change with the snapshot or the width). */
export const StatusLine = memo(StatusLineView);
