import type { ChalkInstance } from 'chalk';
import { colorLevel, type ColorContext, type ColorLevel } from '../core/app/console/color-rule.js';
import { LINE_COLUMNS, showLine, terminalJson } from '../core/terminal/terminal-text.js';
import { jsonLine, type ListeningLine } from '../core/app/console/log-records.js';
import type { LogEntry, LogKind } from '../core/app/console/types.js';
import { clockTime } from '../core/app/console/format.js';

/** The chalk style per log kind in line mode. */
const kindStyles: Partial<Record<LogKind, (chalk: ChalkInstance) => ChalkInstance>> = {
  error: (chalk) => chalk.red,
  warn: (chalk) => chalk.yellow,
  connect: (chalk) => chalk.green,
  disconnect: (chalk) => chalk.gray,
  send: (chalk) => chalk.cyan,
  comment: (chalk) => chalk.cyan,
  replay: (chalk) => chalk.magenta,
  gap: (chalk) => chalk.yellow,
  refused: (chalk) => chalk.yellow,
  page: (chalk) => chalk.blue,
  job: (chalk) => chalk.magenta,
  raw: (chalk) => chalk.gray,
  command: (chalk) => chalk.bold,
  remote: (chalk) => chalk.cyanBright,
};

/** Erases the screen and puts the cursor home: what `clear` does on a terminal. */
const clearScreen = '\u001B[2J\u001B[H';

export interface LineFormatter {
  format(entry: LogEntry): string | undefined;
}

/**
chalk at `level`, or undefined when there is no colour. chalk (with node:tty, which
it reads) is loaded only then: ~10 ms of a line-mode start that has no use for it
when stdout is a pipe or --json is on.
*/
export async function loadChalk(level: ColorLevel): Promise<ChalkInstance | undefined> {
  if (level === 0) return undefined;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}

/** Human lines: `12:00:01.234 send     sent id 1 "Hello" to 2 connections`; coloured by `chalk` if given. */
export function humanFormatter(chalk: ChalkInstance | undefined): LineFormatter {
  const colour = chalk !== undefined && chalk.level > 0;
  return {
    format(entry) {
      if (entry.kind === 'clear') return colour ? clearScreen : undefined;
      const prefix = entry.kind === 'output' ? '' : `${entry.kind.padEnd(10)} `;
      // As in the TUI: nothing in a log line may reach the terminal as a control code.
      const text = showLine(entry.text, LINE_COLUMNS);
      const line = entry.kind === 'command' ? `> ${text}` : `${prefix}${text}`;
      const style = kindStyles[entry.kind];
      if (!colour) return `${clockTime(entry.time, true)} ${line}`;
      const body = style === undefined ? line : style(chalk)(line);
      return `${chalk.dim(clockTime(entry.time, true))} ${body}`;
    },
  };
}

/**
NDJSON: one `JsonLine` per entry (core/app/console/log-records.ts, the public contract).
Written with `terminalJson`, so C1 controls and bidi marks are \uXXXX escapes too.
*/
export function jsonFormatter(): LineFormatter {
  return {
    format(entry) {
      if (entry.kind === 'clear') return undefined;
      return terminalJson(jsonLine(entry));
    },
  };
}

/** The first line of `--json` output. */
export function listeningLine(line: ListeningLine): string {
  return terminalJson(line);
}

/** Line mode's colour level: the console's one rule for stdout. */
export function lineColorLevel(stream: ColorContext['stream'], env: NodeJS.ProcessEnv): ColorLevel {
  return colorLevel({ env, stream });
}

/** The formatter for line mode's stdout: NDJSON with --json, else human lines coloured by the one rule. */
export async function lineFormatter(
  json: boolean,
  stream: ColorContext['stream'],
  env: NodeJS.ProcessEnv,
): Promise<LineFormatter> {
  return json ? jsonFormatter() : humanFormatter(await loadChalk(lineColorLevel(stream, env)));
}
