import type {
  SseClientError,
  SseClientEvent,
  SseConnectInfo,
  SseIgnoredLine,
  SseReconnectInfo,
  SseRejectedResponse,
} from '../core/client/index.js';
import type { RequestSemantics } from '../core/app/connect/non-event-source-request.js';
import { displayUrl } from '../core/index.js';
import { FIELD_COLUMNS, LINE_COLUMNS, showBlock, showLine } from '../core/terminal/terminal-text.js';
import type { Palette } from './connect-style.js';
import { clockTime } from '../core/app/console/format.js';

/**
Human-readable lines for `sse-console connect`; each function returns whole lines.
Everything the server chose (status text, headers, names, ids, data, comments) is
cut to a display budget and escaped by core/terminal/terminal-text.ts before it is
coloured: the colour codes are the only escape sequences written.
*/

/** Columns of one event's data in the human view; --json and --raw show all of it. */
const DATA_COLUMNS = 64 * 1024;

/** Columns of a refused response's body in the human view (an error body is short; --json has all that was read). */
const REJECTED_BODY_COLUMNS = 8 * 1024;

const indent = '  ';

/** Local wall-clock time as HH:MM:SS.mmm. */
export function formatClock(time: Date): string {
  return clockTime(time.getTime(), true);
}

export function formatConnecting(url: string, lastEventId: string | undefined, palette: Palette): string {
  const resume =
    lastEventId === undefined || lastEventId === ''
      ? ''
      : ` with Last-Event-ID: ${showLine(lastEventId, FIELD_COLUMNS)}`;
  return `${palette.dim(formatClock(new Date()))} connecting to ${showLine(displayUrl(url), LINE_COLUMNS)}${resume}\n`;
}

export function formatOpen(info: SseConnectInfo, palette: Palette): string {
  const what = info.attempt === 1 ? 'connected' : `reconnected (attempt ${info.attempt})`;
  const resume =
    info.lastEventIdSent === undefined
      ? ''
      : palette.dim(`  sent Last-Event-ID: ${showLine(info.lastEventIdSent, FIELD_COLUMNS)}`);
  const status = `${info.status} ${showLine(info.statusText, FIELD_COLUMNS)}`.trim();
  const lines = [`${palette.dim(formatClock(info.time))} ${palette.green(what)} ${palette.bold(status)}${resume}`];
  if (info.redirected)
    lines.push(`${indent}${palette.dim('redirected to')} ${showLine(displayUrl(info.url), LINE_COLUMNS)}`);
  for (const [name, value] of info.headers) {
    lines.push(`${indent}${palette.cyan(showLine(name, FIELD_COLUMNS))}: ${showLine(value, LINE_COLUMNS)}`);
  }
  for (const warning of info.warnings) {
    const message = showLine(warning.message, LINE_COLUMNS);
    lines.push(
      warning.level === 'warning'
        ? `${indent}${palette.yellow(`warning: ${message}`)}`
        : `${indent}${palette.dim(`hint: ${message}`)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
A response the client refused, as the request's page would meet it: the status and
headers, then the start of the body (JSON pretty-printed), before the error that ends
the run.
*/
export function formatRejectedResponse(
  response: SseRejectedResponse,
  semantics: RequestSemantics,
  time: Date,
  palette: Palette,
): string {
  const status = `${response.status} ${showLine(response.statusText, FIELD_COLUMNS)}`.trim();
  const ok = response.status >= 200 && response.status < 300;
  const seen =
    semantics === 'eventsource'
      ? 'an EventSource fails on it: a page gets only an error event, without this status, these headers or this body'
      : `fetch() resolves with it (response.ok is ${ok}): a page can read this status, these headers and this body`;
  const lines = [
    `${palette.dim(formatClock(time))} ${palette.red('refused')} ${palette.bold(status)} ${palette.dim(`(${seen})`)}`,
  ];
  if (response.redirected)
    lines.push(`${indent}${palette.dim('redirected to')} ${showLine(displayUrl(response.url), LINE_COLUMNS)}`);
  for (const [name, value] of response.headers) {
    lines.push(`${indent}${palette.cyan(showLine(name, FIELD_COLUMNS))}: ${showLine(value, LINE_COLUMNS)}`);
  }
  const size = `${response.bodyBytes} byte${response.bodyBytes === 1 ? '' : 's'}`;
  const end: Readonly<Record<SseRejectedResponse['bodyEnd'], string>> = {
    complete: `body, ${size}:`,
    limit: `body, the first ${size} (the rest was not read):`,
    timeout: `body, ${size} (it had not ended after 2 s; the rest was not read):`,
    error: `body, ${size} (the connection failed while it was read):`,
  };
  lines.push(`${indent}${palette.dim(end[response.bodyEnd])}`);
  if (response.body !== '') lines.push(formatBody(response.body, palette));
  return `${lines.join('\n')}\n`;
}

function formatBody(body: string, palette: Palette): string {
  const pretty = body.length <= REJECTED_BODY_COLUMNS ? prettyJson(body, palette) : undefined;
  const text = pretty ?? showBlock(body, REJECTED_BODY_COLUMNS);
  return text
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n');
}

export function formatEvent(event: SseClientEvent, palette: Palette): string {
  const head = `${palette.dim(formatClock(event.time))} ${palette.bold(palette.blue(showLine(event.event, FIELD_COLUMNS)))}  ${formatId(event, palette)}`;
  return `${head}\n${formatData(event.data, palette)}\n`;
}

function formatId(event: SseClientEvent, palette: Palette): string {
  const { id, lastEventId } = event;
  if (id === '') return `id "" ${palette.dim('(clears the last event ID)')}`;
  if (id !== undefined) return `id ${palette.magenta(showLine(id, FIELD_COLUMNS))}`;
  if (lastEventId !== '') {
    return `${palette.dim('no id; lastEventId')} ${palette.magenta(showLine(lastEventId, FIELD_COLUMNS))} ${palette.dim('(carried over)')}`;
  }
  return palette.dim('no id');
}

/**
Data indented under its event; JSON objects and arrays pretty-printed and coloured.
Data longer than the budget is cut (and so not pretty-printed: a cut document is not JSON).
*/
export function formatData(data: string, palette: Palette): string {
  if (data === '') return `${indent}${palette.dim('(empty data)')}`;
  const pretty = data.length <= DATA_COLUMNS ? prettyJson(data, palette) : undefined;
  const text = pretty ?? showBlock(data, DATA_COLUMNS);
  return text
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n');
}

function prettyJson(data: string, palette: Palette): string | undefined {
  const trimmed = data.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  // Make controls visible before colouring: the colour codes themselves contain ESC.
  const text = showBlock(JSON.stringify(value, null, 2), DATA_COLUMNS * 2);
  if (!palette.enabled) return text;
  return text.replace(
    /("(?:\\.|[^\\"])*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g,
    (token: string, quoted: string | undefined, colon: string | undefined) => {
      if (quoted !== undefined) return colon === undefined ? palette.green(quoted) : `${palette.cyan(quoted)}${colon}`;
      if (token === 'true' || token === 'false' || token === 'null') return palette.magenta(token);
      return palette.yellow(token);
    },
  );
}

/** The time to first event of one connection, as connect's human output says it. */
export interface FirstEventTiming {
  readonly attempt: number;
  /** Request sent to first event, ms. */
  readonly ms: number;
  /** Request sent to the 200 response, ms. */
  readonly openMs: number;
  readonly time: Date;
}

export function formatFirstEvent(timing: FirstEventTiming, palette: Palette): string {
  return `${palette.dim(formatClock(timing.time))} ${palette.cyan(`first event after ${timing.ms} ms`)} ${palette.dim(`(request to first event; the response opened after ${timing.openMs} ms)`)}\n`;
}

export function formatIdOnly(id: string, time: Date, palette: Palette): string {
  const what =
    id === ''
      ? `id "" ${palette.dim('(a block with only an id: no event fires; the last event ID is cleared)')}`
      : `id ${palette.magenta(showLine(id, FIELD_COLUMNS))} ${palette.dim('(a block with only an id: no event fires; the last event ID is now this id)')}`;
  return `${palette.dim(formatClock(time))} ${what}\n`;
}

export function formatComment(comment: string, time: Date, palette: Palette): string {
  const text = comment === '' ? ': (empty comment, a keep-alive)' : `: ${showLine(comment, LINE_COLUMNS)}`;
  return `${palette.dim(formatClock(time))} ${palette.dim(text)}\n`;
}

export function formatRetry(retryMs: number, time: Date, palette: Palette): string {
  return `${palette.dim(formatClock(time))} ${palette.cyan('retry')} ${retryMs} ms ${palette.dim(`(the reconnection time is now ${retryMs} ms)`)}\n`;
}

export function formatIgnoredLine(ignored: SseIgnoredLine, palette: Palette): string {
  return `${palette.dim(formatClock(ignored.time))} ${palette.yellow(showLine(ignored.message, LINE_COLUMNS))}\n`;
}

export function formatError(error: SseClientError, palette: Palette): string {
  const style = error.fatal ? palette.red : palette.yellow;
  return `${palette.dim(formatClock(error.time))} ${style(`error: ${showLine(error.message, LINE_COLUMNS)}`)}\n`;
}

export function formatReconnecting(info: SseReconnectInfo, palette: Palette): string {
  const resume =
    info.lastEventId === '' ? 'no Last-Event-ID' : `Last-Event-ID: ${showLine(info.lastEventId, FIELD_COLUMNS)}`;
  const floor = info.delayMs > info.retryMs ? `, retry ${info.retryMs} ms raised to the floor` : '';
  return `${palette.dim(formatClock(info.time))} ${palette.yellow(`reconnecting in ${info.delayMs} ms`)} ${palette.dim(`(attempt ${info.attempt}${floor}, ${resume}): ${showLine(info.reason, LINE_COLUMNS)}`)}\n`;
}

export function formatRawChunk(lines: readonly string[], byteCount: number, time: Date, palette: Palette): string {
  const head = `${palette.dim(formatClock(time))} ${palette.dim(`\u2190 ${byteCount} byte${byteCount === 1 ? '' : 's'}`)}`;
  return `${[head, ...lines.map((line) => `${indent}${palette.dim('\u2502')}${line}`)].join('\n')}\n`;
}

export function formatClosed(message: string, time: Date, palette: Palette): string {
  return `${palette.dim(formatClock(time))} ${palette.dim(`closed: ${showLine(message, LINE_COLUMNS)}`)}\n`;
}
