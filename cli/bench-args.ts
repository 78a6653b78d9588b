import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { errorMessage } from '../core/app/console/error-message.js';
import { durationMs, isHttpToken, normalizeUrl, parseHeader } from '../core/app/commands/values.js';

/** What `sse-console bench …` was asked to do. */
export interface BenchOptions {
  readonly url: string;
  readonly connections: number;
  /** Connections are opened evenly over this time (0: all at once). */
  readonly rampMs: number;
  /** The whole run, ramp included; then every connection is closed and the figures printed. */
  readonly durationMs: number;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: { readonly text: string } | { readonly file: string } | undefined;
  readonly json: boolean;
  readonly insecure: boolean;
}

export type BenchArgs =
  | { readonly kind: 'run'; readonly options: BenchOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** Bounds: a load generator that cannot run away. */
const MAX_CONNECTIONS = 1000;
const MAX_DURATION_MS = 10 * 60_000;
const DEFAULT_CONNECTIONS = 10;
const DEFAULT_DURATION_MS = 10_000;

export const benchOptions = {
  connections: { type: 'string', short: 'c' },
  ramp: { type: 'string' },
  duration: { type: 'string', short: 'D' },
  method: { type: 'string', short: 'X' },
  data: { type: 'string', short: 'd' },
  header: { type: 'string', short: 'H', multiple: true },
  'allow-host': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  insecure: { type: 'boolean', short: 'k' },
  help: { type: 'boolean', short: 'h' },
} as const;

const VALID_FLAGS =
  'valid flags: -c/--connections N, --ramp DURATION, -D/--duration DURATION, -X/--method METHOD, -d/--data TEXT|@FILE, -H/--header "Name: value", --allow-host HOST, --json, -k/--insecure, --help';

/** True for a host that is this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function duration(text: string, flag: string, max: number): number | string {
  const ms = durationMs(text, false);
  if (ms === undefined) return `${flag} ${JSON.stringify(text)} is not a duration; write 500ms, 2s, 1m`;
  if (ms > max) return `${flag} ${text} is longer than the most a bench runs, ${max / 60_000}m`;
  return ms;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: benchOptions, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'error', message: `${errorMessage(error)}\n${VALID_FLAGS}` };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  const fail = (message: string): BenchArgs => ({ kind: 'error', message });
  if (positionals.length !== 1)
    return fail(`bench takes one URL (got ${positionals.length}): sse-console bench http://127.0.0.1:8122/events`);
  let url: URL;
  try {
    url = new URL(normalizeUrl(positionals[0] ?? ''));
  } catch {
    return fail(`${JSON.stringify(positionals[0])} is not a URL; write http(s)://host:port/path`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return fail(`bench speaks http: and https:, not ${url.protocol}`);
  const allowed = (values['allow-host'] ?? []).map((host) => host.toLowerCase());
  if (!isLoopbackHost(url.hostname) && !allowed.includes(url.hostname.toLowerCase()))
    return fail(
      `bench loads this machine only (localhost, 127.0.0.1, ::1); to load ${url.hostname}, which must be yours, add --allow-host ${url.hostname}`,
    );

  const connectionsText = values.connections ?? String(DEFAULT_CONNECTIONS);
  const connections = /^\d+$/.test(connectionsText) ? Number(connectionsText) : Number.NaN;
  if (!(connections >= 1 && connections <= MAX_CONNECTIONS))
    return fail(`--connections takes 1 to ${MAX_CONNECTIONS}; got ${JSON.stringify(connectionsText)}`);
  const durationMs =
    values.duration === undefined ? DEFAULT_DURATION_MS : duration(values.duration, '--duration', MAX_DURATION_MS);
  if (typeof durationMs === 'string') return fail(durationMs);
  if (durationMs < 100) return fail('--duration must be at least 100ms');
  const rampMs = values.ramp === undefined ? 0 : duration(values.ramp, '--ramp', MAX_DURATION_MS);
  if (typeof rampMs === 'string') return fail(rampMs);
  if (rampMs >= durationMs) return fail(`--ramp (${values.ramp ?? ''}) must be shorter than --duration`);

  const headers: Record<string, string> = {};
  for (const text of values.header ?? []) {
    const header = parseHeader(text);
    if (!header.ok) return fail(`--header: ${header.error}`);
    const [name, value] = header.value;
    headers[name] = value;
  }
  const dataText = values.data;
  const data =
    dataText === undefined ? undefined : dataText.startsWith('@') ? { file: dataText.slice(1) } : { text: dataText };
  if (data !== undefined && 'file' in data && data.file === '') return fail('-d @FILE needs a FILE name');
  const method = (values.method ?? (data === undefined ? 'GET' : 'POST')).toUpperCase();
  if (!isHttpToken(method)) return fail(`-X ${JSON.stringify(values.method)} is not an HTTP method`);
  if (data !== undefined && (method === 'GET' || method === 'HEAD'))
    return fail(`a ${method} request has no body; drop -d or use -X POST`);

  return {
    kind: 'run',
    options: {
      url: url.href,
      connections,
      rampMs,
      durationMs,
      method,
      headers,
      data,
      json: values.json === true,
      insecure: values.insecure === true,
    },
  };
}
