import { createContext, useContext } from 'react';
import type { LogKind } from '../core/console/types.js';

/** The colour names the views use (all of them basic ANSI colours Ink understands). */
export type ColorName = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'greenBright';

/** One colour per log kind, so a glance at the log tells what happened. */
export const logKindColors = {
  command: 'cyan',
  output: undefined,
  error: 'red',
  warn: 'yellow',
  info: 'gray',
  connect: 'green',
  disconnect: 'magenta',
  send: 'blue',
  comment: 'gray',
  replay: 'cyan',
  gap: 'yellow',
  refused: 'red',
  page: 'magenta',
  job: 'blue',
  raw: 'gray',
  remote: 'greenBright',
  clear: undefined,
} as const satisfies Record<LogKind, ColorName | undefined>;

/**
Whether to colour at all. NO_COLOR (https://no-color.org: set and not empty) turns
colour off. Ink colours through chalk, whose colour detection reads FORCE_COLOR and
`--no-color` but not NO_COLOR, so the views check it themselves.
*/
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = env['NO_COLOR'];
  return noColor === undefined || noColor === '';
}

/** Props that colour an Ink element: empty when colour is off or no colour is asked for. */
export type ColorProps = { readonly color?: ColorName };

export interface Theme {
  /** Spread into `<Text>`: `<Text {...theme.color('cyan')}>`. */
  readonly color: (name: ColorName | undefined) => ColorProps;
  /** The border colour for a `<Box>`, as props to spread. */
  readonly borderColor: (name: ColorName) => { readonly borderColor?: ColorName };
}

export function createTheme(useColor: boolean): Theme {
  return {
    color: (name) => (useColor && name !== undefined ? { color: name } : {}),
    borderColor: (name) => (useColor ? { borderColor: name } : {}),
  };
}

export const ThemeContext = createContext<Theme>(createTheme(colorEnabled()));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
