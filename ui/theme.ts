import { createContext, useContext } from 'react';
import { colorLevel, type ColorContext } from '../core/app/console/color-rule.js';
import type { LogKind } from '../core/app/console/types.js';

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
Whether to colour at all, by the console's one rule (core/app/console/color-rule.ts).
Ink colours through chalk; run-tui sets chalk's level from the same rule.
*/
export function colorEnabled(
  env: NodeJS.ProcessEnv = process.env,
  stream: ColorContext['stream'] = process.stdout,
): boolean {
  return colorLevel({ env, stream }) > 0;
}

/** Props that colour an Ink element: empty when colour is off or no colour is asked for. */
type ColorProps = { readonly color?: ColorName };

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
