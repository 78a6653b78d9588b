/**
How many rows each live pane may use. Ink rewrites the live area on every frame, and
once that area is as tall as the terminal it clears the whole screen (scrollback
included) instead, which flickers and wipes the log. So the live area is planned to
stay a few lines shorter than the terminal, whatever its size.
*/

export interface LiveLayout {
  /** Connection rows shown (the newest). */
  readonly connectionRows: number;
  /** Stored-event rows shown (the newest). */
  readonly historyRows: number;
  /** Text lines the help overlay shows at once. */
  readonly helpRows: number;
}

/** Rows assumed when the output is not a terminal (tests, pipes). */
export const defaultTerminalRows = 40;

const mostConnectionRows = 8;
const mostHistoryRows = 6;
/** Lines kept free below the live area. */
const spareRows = 2;
/** Last answer and tour step (2), completion hint (1), prompt (1), and per pane a title, a header and "… more"; plus the status rows. */
const paneChromeRows = 2 + 1 + 1 + 3 + 3;
/** Prompt (1), border (2) and the scrolling note (1) around the help text; plus the status and pinned rows. */
const helpChromeRows = 1 + 2 + 1;

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
`statusRows`: 2, or more when the URLs need a row each or the facts wrap (see
status-line.tsx). `pinnedRows`: the last answer and the tour step, 2 unless the step
wraps (see pinned-lines.tsx).
*/
export function liveLayout(terminalRows: number | undefined, statusRows = 2, pinnedRows = 2): LiveLayout {
  const rows = terminalRows !== undefined && terminalRows > 0 ? terminalRows : defaultTerminalRows;
  const free = rows - spareRows - statusRows - paneChromeRows - Math.max(0, pinnedRows - 2);
  // Connections get the larger share: they are what changes when a browser comes and goes.
  const connectionRows = clamp(Math.ceil(free * 0.6), 0, mostConnectionRows);
  const historyRows = clamp(free - connectionRows, 0, mostHistoryRows);
  const helpRows = Math.max(3, rows - spareRows - statusRows - helpChromeRows - pinnedRows);
  return { connectionRows, historyRows, helpRows };
}
