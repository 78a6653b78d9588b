import { parseArgs } from 'node:util';
import { errorMessage } from '../core/app/console/error-message.js';
import { isHttpToken, parseHeader, parseHttpUrl } from '../core/app/commands/values.js';
import { parseDuration } from './connect-args.js';
import { DEFAULT_DOCTOR_DURATION } from './doctor-help.js';

/** What `sse-console doctor …` was asked to do. */
interface DoctorOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly method: string;
  readonly data: { readonly text: string } | { readonly file: string } | undefined;
  readonly insecure: boolean;
  readonly origin: string | undefined;
  readonly durationMs: number;
  readonly json: boolean;
}

export type DoctorArgs =
  | { readonly kind: 'run'; readonly options: DoctorOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const VALID_FLAGS =
  'valid flags: --duration DURATION, --origin ORIGIN, -H/--header "Name: value" (repeatable), -X/--method METHOD, -d/--data TEXT|@FILE, -k/--insecure, --json, --help (sse-console doctor --help explains each)';

const flagConfig = {
  duration: { type: 'string' },
  origin: { type: 'string' },
  header: { type: 'string', multiple: true, short: 'H' },
  method: { type: 'string', short: 'X' },
  data: { type: 'string', short: 'd' },
  insecure: { type: 'boolean', short: 'k' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export { flagConfig as doctorOptions };

/** The longest watch: doctor is bounded by design. */
const MAX_DURATION_MS = 60 * 60_000;

/** Parse the arguments after `doctor`. Every error names what was wrong and the valid form. */
export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: flagConfig, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'error', message: `${errorMessage(error)}\n${VALID_FLAGS}` };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (positionals.length !== 1) {
    return {
      kind: 'error',
      message:
        positionals.length === 0
          ? `doctor needs the URL of an event stream, e.g. sse-console doctor http://127.0.0.1:8122/events\n${VALID_FLAGS}`
          : `doctor takes one URL, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`,
    };
  }
  const url = parseHttpUrl(positionals[0] ?? '');
  if (!url.ok) return { kind: 'error', message: url.error };
  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const parsedHeader = parseHeader(header);
    if (!parsedHeader.ok) {
      return { kind: 'error', message: `--header: ${parsedHeader.error}, e.g. --header "Authorization: Bearer abc"` };
    }
    headers[parsedHeader.value[0]] = parsedHeader.value[1];
  }
  const durationText = values.duration ?? DEFAULT_DOCTOR_DURATION;
  const durationMs = parseDuration(durationText);
  if (durationMs === undefined || durationMs > MAX_DURATION_MS) {
    return {
      kind: 'error',
      message: `--duration expects a duration with a unit up to 1h, e.g. 10s, 75s or 2m; got ${JSON.stringify(durationText)}`,
    };
  }
  const origin = values.origin;
  if (origin !== undefined && !isOrigin(origin)) {
    return {
      kind: 'error',
      message: `--origin expects a page origin: scheme, host and port only, e.g. --origin https://app.example.com; got ${JSON.stringify(origin)}`,
    };
  }
  const dataText = values.data;
  const method = values.method ?? (dataText === undefined ? 'GET' : 'POST');
  if (!isHttpToken(method)) {
    return {
      kind: 'error',
      message: `-X/--method expects one word such as GET or POST; got ${JSON.stringify(method)}`,
    };
  }
  if (dataText !== undefined && ['GET', 'HEAD'].includes(method.toUpperCase())) {
    return {
      kind: 'error',
      message: `-d/--data sends a request body, which a ${method.toUpperCase()} request cannot have: leave -X out (POST is used) or give -X POST`,
    };
  }
  if (dataText === '@') return { kind: 'error', message: '-d @FILE needs a file name after the @, e.g. -d @body.json' };
  return {
    kind: 'run',
    options: {
      url: url.value,
      headers,
      method,
      data:
        dataText === undefined
          ? undefined
          : dataText.startsWith('@')
            ? { file: dataText.slice(1) }
            : { text: dataText },
      insecure: values.insecure === true,
      origin,
      durationMs,
      json: values.json === true,
    },
  };
}

/** `https://app.example.com` or `http://127.0.0.1:5173`: what a browser sends as Origin. */
function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}
