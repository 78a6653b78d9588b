import { Chalk, type ChalkInstance } from 'chalk';
import { colorLevel, type ColorContext, type ColorLevel } from '../core/app/console/color-rule.js';

/** Colours for `sse-console connect`, through chalk at the level of the console's one colour rule. */
type Style = (text: string) => string;

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

/** `true` means the basic 16 colours (level 1), `false` none. */
export function createPalette(level: ColorLevel | boolean): Palette {
  const chalk: ChalkInstance = new Chalk({ level: level === true ? 1 : level === false ? 0 : level });
  // chalk wraps even '' in codes; an empty cell stays empty.
  const style =
    (paint: ChalkInstance): Style =>
    (text) =>
      text === '' ? '' : paint(text);
  return {
    enabled: chalk.level > 0,
    dim: style(chalk.dim),
    bold: style(chalk.bold),
    red: style(chalk.red),
    green: style(chalk.green),
    yellow: style(chalk.yellow),
    blue: style(chalk.blue),
    magenta: style(chalk.magenta),
    cyan: style(chalk.cyan),
  };
}

/** The colour level for `connect`'s output: the console's one rule, with `--no-color`. */
export function connectColorLevel(
  stdout: ColorContext['stream'],
  env: NodeJS.ProcessEnv,
  noColorFlag: boolean,
): ColorLevel {
  return colorLevel({ noColorFlag, env, stream: stdout });
}
