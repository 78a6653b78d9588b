import type {
  SseClientError,
  SseClientEvent,
  SseConnectInfo,
  SseIgnoredLine,
  SseReconnectInfo,
} from '../core/client/types.js';
import { showControlCharacters } from './connect-style.js';
import type { Palette } from './connect-style.js';

/** Human-readable lines for `sse-console connect`; each function returns whole lines. */

const indent = '  ';

/** Local wall-clock time as HH:MM:SS.mmm. */
export function formatClock(time: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
}

export function formatConnecting(url: string, lastEventId: string | undefined, palette: Palette): string {
  const resume = lastEventId === undefined || lastEventId === '' ? '' : ` with Last-Event-ID: ${lastEventId}`;
  return `${palette.dim(formatClock(new Date()))} connecting to ${url}${resume}\n`;
}

export function formatOpen(info: SseConnectInfo, palette: Palette): string {
  const what = info.attempt === 1 ? 'connected' : `reconnected (attempt ${info.attempt})`;
  const resume = info.lastEventIdSent === undefined ? '' : palette.dim(`  sent Last-Event-ID: ${info.lastEventIdSent}`);
  const lines = [
    `${palette.dim(formatClock(info.time))} ${palette.green(what)} ${palette.bold(`${info.status} ${info.statusText}`.trim())}${resume}`,
  ];
  if (info.redirected) lines.push(`${indent}${palette.dim('redirected to')} ${info.url}`);
  for (const [name, value] of info.headers) {
    lines.push(`${indent}${palette.cyan(name)}: ${showControlCharacters(value)}`);
  }
  for (const warning of info.warnings) {
    lines.push(
      warning.level === 'warning'
        ? `${indent}${palette.yellow(`warning: ${warning.message}`)}`
        : `${indent}${palette.dim(`hint: ${warning.message}`)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatEvent(event: SseClientEvent, palette: Palette): string {
  const head = `${palette.dim(formatClock(event.time))} ${palette.bold(palette.blue(showControlCharacters(event.event)))}  ${formatId(event, palette)}`;
  return `${head}\n${formatData(event.data, palette)}\n`;
}

function formatId(event: SseClientEvent, palette: Palette): string {
  const { id, lastEventId } = event;
  if (id === '') return `id "" ${palette.dim('(clears the last event ID)')}`;
  if (id !== undefined) return `id ${palette.magenta(showControlCharacters(id))}`;
  if (lastEventId !== '') {
    return `${palette.dim('no id; lastEventId')} ${palette.magenta(showControlCharacters(lastEventId))} ${palette.dim('(carried over)')}`;
  }
  return palette.dim('no id');
}

/** Data indented under its event; JSON objects and arrays pretty-printed and coloured. */
export function formatData(data: string, palette: Palette): string {
  if (data === '') return `${indent}${palette.dim('(empty data)')}`;
  const pretty = prettyJson(data, palette);
  const text = pretty ?? showControlCharacters(data);
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
  const text = showControlCharacters(JSON.stringify(value, null, 2));
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

export function formatComment(comment: string, time: Date, palette: Palette): string {
  const text = comment === '' ? ': (empty comment, a keep-alive)' : `: ${showControlCharacters(comment)}`;
  return `${palette.dim(formatClock(time))} ${palette.dim(text)}\n`;
}

export function formatRetry(retryMs: number, time: Date, palette: Palette): string {
  return `${palette.dim(formatClock(time))} ${palette.cyan('retry')} ${retryMs} ms ${palette.dim(`(the reconnection time is now ${retryMs} ms)`)}\n`;
}

export function formatIgnoredLine(ignored: SseIgnoredLine, palette: Palette): string {
  return `${palette.dim(formatClock(ignored.time))} ${palette.yellow(showControlCharacters(ignored.message))}\n`;
}

export function formatError(error: SseClientError, palette: Palette): string {
  const style = error.fatal ? palette.red : palette.yellow;
  return `${palette.dim(formatClock(error.time))} ${style(`error: ${showControlCharacters(error.message)}`)}\n`;
}

export function formatReconnecting(info: SseReconnectInfo, palette: Palette): string {
  const resume =
    info.lastEventId === '' ? 'no Last-Event-ID' : `Last-Event-ID: ${showControlCharacters(info.lastEventId)}`;
  const floor = info.delayMs > info.retryMs ? `, retry ${info.retryMs} ms raised to the floor` : '';
  return `${palette.dim(formatClock(info.time))} ${palette.yellow(`reconnecting in ${info.delayMs} ms`)} ${palette.dim(`(attempt ${info.attempt}${floor}, ${resume}): ${info.reason}`)}\n`;
}

export function formatRawChunk(lines: readonly string[], byteCount: number, time: Date, palette: Palette): string {
  const head = `${palette.dim(formatClock(time))} ${palette.dim(`\u2190 ${byteCount} byte${byteCount === 1 ? '' : 's'}`)}`;
  return `${[head, ...lines.map((line) => `${indent}${palette.dim('\u2502')}${line}`)].join('\n')}\n`;
}

export function formatClosed(message: string, time: Date, palette: Palette): string {
  return `${palette.dim(formatClock(time))} ${palette.dim(`closed: ${message}`)}\n`;
}
