import { fitColumns } from '../../terminal/terminal-text.js';

/**
Table columns that give way on a narrow terminal: when a row does not fit, the
columns with the highest `priority` number are left out first, so what a user acts on
(the connection's number, its path) survives. The connections pane and `conns` both
lay their rows out with this rule and the priorities in connection-columns.ts.
*/

export interface Column {
  readonly title: string;
  /** Display columns; 'rest' takes what the fixed columns leave. */
  readonly width: number | 'rest';
  readonly align?: 'left' | 'right';
  /** Lower is kept longer when the terminal is narrow; absent: never left out. */
  readonly priority?: number;
}

/** A cell padded or cut (with "…") to exactly `width` terminal columns (wide characters count twice). */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  return fitColumns(text, width, align);
}

/** The narrowest a 'rest' column gets before other columns are left out (`/events` and a short query). */
const smallestRest = 16;

function rowWidth(columns: readonly Column[], gap: number): number {
  const fixed = columns.reduce((sum, column) => sum + (column.width === 'rest' ? smallestRest : column.width), 0);
  return fixed + gap * (columns.length - 1);
}

/** The columns shown at `totalWidth` (cells `gap` columns apart): all of them, less the lowest-priority ones that do not fit. */
export function visibleColumns<C extends Column>(columns: readonly C[], totalWidth: number, gap = 1): C[] {
  const shown = [...columns];
  while (rowWidth(shown, gap) > totalWidth) {
    let drop = -1;
    shown.forEach((column, index) => {
      if (column.priority === undefined) return;
      if (drop < 0 || column.priority > (shown[drop]?.priority ?? 0)) drop = index;
    });
    if (drop < 0) break;
    shown.splice(drop, 1);
  }
  return shown;
}

/** One row: cells in their columns, `gap` spaces apart, trailing spaces trimmed; columns that do not fit are left out. */
export function layoutRow(cells: readonly string[], columns: readonly Column[], totalWidth: number, gap = 1): string {
  const shown = visibleColumns(columns, totalWidth, gap);
  const fixed = shown.reduce((sum, column) => sum + (column.width === 'rest' ? 0 : column.width), 0);
  const rest = Math.max(smallestRest, totalWidth - fixed - gap * (shown.length - 1));
  return shown
    .map((column) =>
      fitCell(cells[columns.indexOf(column)] ?? '', column.width === 'rest' ? rest : column.width, column.align),
    )
    .join(' '.repeat(gap))
    .trimEnd();
}
