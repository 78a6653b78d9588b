import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  /** Undefined when stdout is not a terminal. */
  readonly columns: number | undefined;
  readonly rows: number | undefined;
}

/**
The terminal's size, updated on resize. Ink re-lays out on resize by itself, but the
views size their rows and panes from these numbers, so they must render again too.

Not Ink's `useWindowSize` (Ink 8 has one, the same on a terminal): where stdout has no
size it guesses one (the `terminal-size` package, which may run `tput` or `stty`,
else 80×24), while the views need to know the size is unknown to use their own
defaults (100 columns, 40 rows: ui/layout.ts). ink-testing-library's stdout has
columns and no rows, so with Ink's hook the tests' layout would follow whatever
terminal ran them.
*/
export function useTerminalSize(): TerminalSize {
  // Ink types stdout as any writable stream; a terminal's carries its size.
  const stdout = useStdout().stdout as NodeJS.WritableStream & Partial<Pick<NodeJS.WriteStream, 'columns' | 'rows'>>;
  const [size, setSize] = useState<TerminalSize>(() => ({ columns: stdout.columns, rows: stdout.rows }));
  useEffect(() => {
    const update = (): void => setSize({ columns: stdout.columns, rows: stdout.rows });
    stdout.on('resize', update);
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout]);
  return size;
}
