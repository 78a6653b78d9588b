/**
The one rule for whether the console colours its output, used by the TUI, line mode
and `connect` alike. Levels are chalk's: 0 none, 1 the 16 basic colours, 2 256
colours, 3 truecolor.

In order: `--no-color` turns colour off; NO_COLOR set and not empty turns it off
(no-color.org); FORCE_COLOR turns it on ('', '1', 'true' → 1, '2' → 2, '3' → 3) or off
('0', 'false'), as chalk and Node read it; otherwise colour is on only for a terminal
that has colours (TERM=dumb has none).
*/
export type ColorLevel = 0 | 1 | 2 | 3;

export interface ColorContext {
  /** `--no-color` was given. */
  readonly noColorFlag?: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Where the coloured text goes: a terminal says how many colours it has. */
  readonly stream: { readonly isTTY?: boolean; getColorDepth?: (env?: NodeJS.ProcessEnv) => number };
}

const forcedLevels: Readonly<Record<string, ColorLevel>> = { '': 1, '1': 1, true: 1, '2': 2, '3': 3, '0': 0, false: 0 };

export function colorLevel({ noColorFlag = false, env, stream }: ColorContext): ColorLevel {
  if (noColorFlag) return 0;
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return forcedLevels[force.trim().toLowerCase()] ?? 1;
  if (stream.isTTY !== true) return 0;
  // Node's own reading of TERM, COLORTERM and the CI variables; FORCE_COLOR and
  // NO_COLOR are already decided above, so they are left out of what it sees.
  const { FORCE_COLOR: _force, NO_COLOR: _noColor, ...rest } = env;
  const depth = stream.getColorDepth?.(rest) ?? 4;
  if (depth >= 24) return 3;
  if (depth >= 8) return 2;
  return depth >= 4 ? 1 : 0;
}
