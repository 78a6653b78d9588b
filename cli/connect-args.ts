import { parseArgs } from 'node:util';
import { errorMessage } from '../core/app/console/error-message.js';
import { durationMs, isHttpToken, normalizeUrl, parseHeader } from '../core/app/commands/values.js';
import { parseSize } from './option-values.js';

/** What `sse-console connect …` was asked to do. */
export interface ConnectOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly lastEventId: string | undefined;
  /** Only show events of these types; empty means all. */
  readonly eventTypes: readonly string[];
  readonly raw: boolean;
  readonly json: boolean;
  readonly maxEvents: number | undefined;
  readonly timeoutMs: number | undefined;
  /** The --timeout value as typed, for messages. */
  readonly timeoutText: string | undefined;
  readonly reconnect: boolean;
  readonly noColor: boolean;
  /** Most characters buffered for one line plus one event (--max-buffer). */
  readonly maxBufferSize: number | undefined;
  /** Fail what Chromium fails even where the spec accepts it (--strict). */
  readonly strict: boolean;
  /** -X/--method; GET when neither it nor --data is given, POST with --data alone. */
  readonly method: string;
  /** -d/--data: the body as typed, or the file to read it from (`@FILE`). */
  readonly data: { readonly text: string } | { readonly file: string } | undefined;
  /** -k/--insecure: accept any TLS certificate. */
  readonly insecure: boolean;
  /** Whether --reconnect or --no-reconnect was given (else: on for GET only). */
  readonly reconnectGiven: boolean;
  /** --record FILE: append every event, with its arrival time, as JSON Lines. */
  readonly recordFile: string | undefined;
}

export type ConnectArgs =
  | { readonly kind: 'run'; readonly options: ConnectOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const VALID_FLAGS =
  'valid flags: --header "Name: value" (repeatable), --last-event-id ID, --event NAME (repeatable), --raw, --json, --max-events N, --timeout DURATION, -X/--method METHOD, -d/--data TEXT|@FILE, -k/--insecure, --reconnect, --record FILE, --no-reconnect, --max-buffer SIZE, --strict, --no-color, --help (sse-console connect --help explains each)';

const flagConfig = {
  header: { type: 'string', multiple: true, short: 'H' },
  'last-event-id': { type: 'string' },
  event: { type: 'string', multiple: true, short: 'e' },
  raw: { type: 'boolean' },
  json: { type: 'boolean' },
  'max-events': { type: 'string', short: 'n' },
  timeout: { type: 'string', short: 't' },
  'no-reconnect': { type: 'boolean' },
  reconnect: { type: 'boolean' },
  method: { type: 'string', short: 'X' },
  data: { type: 'string', short: 'd' },
  insecure: { type: 'boolean', short: 'k' },
  record: { type: 'string' },
  'max-buffer': { type: 'string' },
  strict: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
Parse the arguments after `connect` (a leading `connect` is skipped). Every error
names what was wrong and the valid form.
*/
export function parseConnectArgs(argv: readonly string[]): ConnectArgs {
  const args = argv[0] === 'connect' ? argv.slice(1) : [...argv];
  let parsed;
  try {
    parsed = parseArgs({ args, options: flagConfig, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'error', message: `${describeParseError(error)}\n${VALID_FLAGS}` };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };

  if (positionals.length === 0) {
    return {
      kind: 'error',
      message: `connect needs the URL of an event stream, e.g. sse-console connect http://127.0.0.1:8122/events\n${VALID_FLAGS}`,
    };
  }
  if (positionals.length > 1) {
    return {
      kind: 'error',
      message: `connect takes one URL, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')} (quote a header with spaces: --header "Authorization: Bearer abc")`,
    };
  }

  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const parsedHeader = parseHeader(header);
    if (!parsedHeader.ok) {
      return { kind: 'error', message: `--header: ${parsedHeader.error}, e.g. --header "Authorization: Bearer abc"` };
    }
    const [name, value] = parsedHeader.value;
    headers[name] = value;
  }

  const lastEventId = values['last-event-id'];
  if (lastEventId !== undefined && /[\r\n\0]/.test(lastEventId)) {
    return {
      kind: 'error',
      message: '--last-event-id may not contain CR, LF or NUL (a Last-Event-ID is one line), e.g. --last-event-id 42',
    };
  }

  const maxEventsText = values['max-events'];
  let maxEvents: number | undefined;
  if (maxEventsText !== undefined) {
    maxEvents = /^\d+$/.test(maxEventsText) ? Number(maxEventsText) : Number.NaN;
    if (!Number.isSafeInteger(maxEvents) || maxEvents < 1) {
      return {
        kind: 'error',
        message: `--max-events expects a whole number of at least 1, e.g. --max-events 5; got ${JSON.stringify(maxEventsText)}`,
      };
    }
  }

  const timeoutText = values.timeout;
  let timeoutMs: number | undefined;
  if (timeoutText !== undefined) {
    timeoutMs = parseDuration(timeoutText);
    if (timeoutMs === undefined) {
      return {
        kind: 'error',
        message: `--timeout expects a duration with a unit, e.g. 500ms, 10s or 2m; got ${JSON.stringify(timeoutText)}`,
      };
    }
  }

  const maxBufferText = values['max-buffer'];
  let maxBufferSize: number | undefined;
  if (maxBufferText !== undefined) {
    maxBufferSize = parseSize(maxBufferText);
    if (maxBufferSize === undefined) {
      return {
        kind: 'error',
        message: `--max-buffer expects a size of at least 1KiB, e.g. 512KiB, 8MiB or 100000 (characters); got ${JSON.stringify(maxBufferText)}`,
      };
    }
  }

  if (values.reconnect === true && values['no-reconnect'] === true) {
    return { kind: 'error', message: 'give --reconnect or --no-reconnect, not both' };
  }
  const dataText = values.data;
  const method = values.method ?? (dataText === undefined ? 'GET' : 'POST');
  if (!isHttpToken(method)) {
    return {
      kind: 'error',
      message: `-X/--method expects one word such as GET, POST or PUT; got ${JSON.stringify(method)}`,
    };
  }
  if (dataText !== undefined && ['GET', 'HEAD'].includes(method.toUpperCase())) {
    return {
      kind: 'error',
      message: `-d/--data sends a request body, which a ${method.toUpperCase()} request cannot have: leave -X out (POST is used) or give -X POST, PUT or PATCH`,
    };
  }
  if (values.record === '') {
    return { kind: 'error', message: '--record needs a file name, e.g. --record stream.jsonl' };
  }
  if (dataText === '@') {
    return { kind: 'error', message: '-d @FILE needs a file name after the @, e.g. -d @body.json' };
  }
  const data =
    dataText === undefined ? undefined : dataText.startsWith('@') ? { file: dataText.slice(1) } : { text: dataText };
  const isPlainGet = method.toUpperCase() === 'GET';

  return {
    kind: 'run',
    options: {
      url: normalizeUrl(positionals[0] ?? ''),
      headers,
      lastEventId: lastEventId === '' ? undefined : lastEventId,
      eventTypes: values.event ?? [],
      raw: values.raw === true,
      json: values.json === true,
      maxEvents,
      timeoutMs,
      timeoutText,
      reconnect: values['no-reconnect'] === true ? false : values.reconnect === true || isPlainGet,
      reconnectGiven: values.reconnect === true || values['no-reconnect'] === true,
      method,
      data,
      insecure: values.insecure === true,
      recordFile: values.record,
      noColor: values['no-color'] === true,
      maxBufferSize,
      strict: values.strict === true,
    },
  };
}

/** `--timeout`: `500ms`, `10s`, `1.5s`, `2m`, `1h` → milliseconds (a unit is required); `undefined` when not valid or zero. */
export function parseDuration(text: string): number | undefined {
  const ms = durationMs(text, false);
  return ms !== undefined && ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** `512KiB`, `8MiB`, `100000` → a count (of characters); `undefined` when not valid or under 1 KiB. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = errorMessage(error);
  // Node names the flag as '--timeout' or '-t, --timeout <value>'; prefer the long form.
  const option = /(--[a-z][a-z-]*)/.exec(message)?.[1] ?? /'(-[^' ,]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown flag ${option ?? message}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('does not take an argument')
      ? `${option ?? 'that flag'} is a switch and takes no value`
      : `${option ?? 'that flag'} needs a value`;
  }
  return message;
}

/** The flags parseArgs reads, for the CLI reference's test. */
export { flagConfig as connectOptions };
