/**
Colours for `sse-console connect`. Plain ANSI codes: eight styles are trivial, and this
keeps the command free of dependencies and of Node-version differences in `styleText`.
*/

export type Style = (text: string) => string;

export interface Palette {
  readonly enabled: boolean;
  readonly dim: Style;
  readonly bold: Style;
  readonly red: Style;
  readonly green: Style;
  readonly yellow: Style;
  readonly blue: Style;
  readonly magenta: Style;
  readonly cyan: Style;
}

const ansi =
  (open: number, close: number): Style =>
  (text) =>
    text === '' ? '' : `\u001B[${open}m${text}\u001B[${close}m`;

const plain: Style = (text) => text;

export function createPalette(enabled: boolean): Palette {
  if (!enabled) {
    return {
      enabled,
      dim: plain,
      bold: plain,
      red: plain,
      green: plain,
      yellow: plain,
      blue: plain,
      magenta: plain,
      cyan: plain,
    };
  }
  return {
    enabled,
    dim: ansi(2, 22),
    bold: ansi(1, 22),
    red: ansi(31, 39),
    green: ansi(32, 39),
    yellow: ansi(33, 39),
    blue: ansi(34, 39),
    magenta: ansi(35, 39),
    cyan: ansi(36, 39),
  };
}

/**
Colour is on for a terminal, off when `--no-color` is given, when NO_COLOR is set to
anything (no-color.org) or when stdout is not a TTY; FORCE_COLOR turns it on for pipes.
*/
export function shouldUseColor(
  stdout: NodeJS.WritableStream,
  env: NodeJS.ProcessEnv,
  noColorFlag: boolean,
): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return (stdout as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
}
