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

/**
Make control characters visible, so a NUL shows as ␀ and a stream cannot move the
cursor or recolour the terminal with escape sequences. Tabs and line feeds stay.
*/
export function showControlCharacters(text: string): string {
  // One pass over the string; this runs for every event shown.
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u0080-\u009F]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `\\x${code.toString(16)}`;
  });
}
