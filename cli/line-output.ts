import { LINE_COLUMNS, showLine, terminalJson } from '../core/terminal/terminal-text.js';
import type { LogEntry, LogKind } from '../core/console/types.js';

/** ANSI colour per log kind for line mode; written by hand because it is four codes. */
const colours: Partial<Record<LogKind, string>> = {
  error: '31',
  warn: '33',
  connect: '32',
  disconnect: '90',
  send: '36',
  comment: '36',
  replay: '35',
  gap: '33',
  refused: '33',
  page: '34',
  job: '35',
  raw: '90',
  command: '1',
  remote: '96',
};

function clock(time: number): string {
  const d = new Date(time);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export interface LineFormatter {
  format(entry: LogEntry): string | undefined;
}

/** Human lines: `12:00:01.234 send     sent id 1 "Hello" to 2 connections`. */
export function humanFormatter(colour: boolean): LineFormatter {
  return {
    format(entry) {
      if (entry.kind === 'clear') return colour ? '\u001B[2J\u001B[H' : undefined;
      const prefix = entry.kind === 'output' ? '' : `${entry.kind.padEnd(10)} `;
      // As in the TUI: nothing in a log line may reach the terminal as a control code.
      const text = showLine(entry.text, LINE_COLUMNS);
      const line = entry.kind === 'command' ? `> ${text}` : `${prefix}${text}`;
      const code = colours[entry.kind];
      const body = colour && code ? `\u001B[${code}m${line}\u001B[0m` : line;
      return `${colour ? '\u001B[2m' : ''}${clock(entry.time)}${colour ? '\u001B[0m' : ''} ${body}`;
    },
  };
}

/**
NDJSON: one object per entry; `type` comes from the entry's fields, else its kind.
Written with `terminalJson`, so C1 controls and bidi marks are \uXXXX escapes too.
*/
export function jsonFormatter(): LineFormatter {
  return {
    format(entry) {
      if (entry.kind === 'clear') return undefined;
      return terminalJson({
        type: entry.kind,
        ...entry.fields,
        kind: entry.kind,
        time: new Date(entry.time).toISOString(),
        text: entry.text,
      });
    },
  };
}

export function colourWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
