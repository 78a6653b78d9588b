import { parseArgs } from 'node:util';
import { errorMessage } from '../core/app/console/error-message.js';
import { DEFAULT_PAGE_NAME } from '../core/app/pages/page-list.js';
import { redisUrlProblem } from '../core/app/console/redis-url.js';
import { tokenOption, wholeNumber } from './option-values.js';

/** The console's start-up options, as parsed from argv. */
export interface ConsoleArgs {
  readonly pagePort: number;
  readonly ssePort: number;
  readonly host: string;
  readonly strictPort: boolean;
  /** undefined: don't open; a page name: open it once listening. */
  readonly open: string | undefined;
  readonly historyLimit: number | undefined;
  readonly historyFile: string | undefined;
  /** `--redis URL`: every stream's replay log in Redis, shared with other processes. */
  readonly redis: string | undefined;
  readonly historyMaxBytes: number | undefined;
  readonly heartbeatMs: number | undefined;
  readonly cors: readonly string[] | '*';
  readonly token: string | undefined;
  readonly maxConnections: number | undefined;
  readonly tui: boolean;
  readonly json: boolean;
  /** A lesson script to run once listening (`--script FILE`). */
  readonly script: string | undefined;
  /** `--repl`: a Node REPL with the library in scope instead of the TUI or line mode. */
  readonly repl: boolean;
  /** `--http2` (or `--tls`): stream and pages over HTTP/2 with TLS, a localhost certificate from the state directory. */
  readonly http2: boolean;
}

export type ArgsResult =
  | { readonly kind: 'run'; readonly args: ConsoleArgs }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'error'; readonly message: string };

const options = {
  port: { type: 'string', short: 'p' },
  'sse-port': { type: 'string' },
  host: { type: 'string' },
  'strict-port': { type: 'boolean' },
  open: { type: 'boolean' },
  'open-page': { type: 'string' },
  'history-limit': { type: 'string' },
  'history-file': { type: 'string' },
  redis: { type: 'string' },
  'history-max-bytes': { type: 'string' },
  heartbeat: { type: 'string' },
  cors: { type: 'string', multiple: true },
  token: { type: 'string' },
  'max-connections': { type: 'string' },
  'no-tui': { type: 'boolean' },
  json: { type: 'boolean' },
  script: { type: 'string' },
  repl: { type: 'boolean' },
  http2: { type: 'boolean' },
  tls: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const validFlags = Object.keys(options)
  .filter((name) => name !== 'open-page')
  .map((name) => `--${name}`)
  .join(', ');

/**
`--open` takes an optional page name (`--open`, `--open clock`, `--open=clock`), which
parseArgs cannot express, so it is rewritten to `--open` plus `--open-page NAME` first.
*/
function rewriteOpen(argv: readonly string[], pageNames: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--open=')) {
      out.push('--open', '--open-page', arg.slice('--open='.length));
    } else if (arg === '--open' && pageNames.includes(argv[i + 1] ?? '')) {
      out.push('--open', '--open-page', argv[i + 1] ?? '');
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseConsoleArgs(argv: readonly string[], pageNames: readonly string[]): ArgsResult {
  let values: ReturnType<typeof parseArgs<{ options: typeof options; strict: true; allowPositionals: true }>>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rewriteOpen(argv, pageNames),
      options,
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    const message = errorMessage(error).replace(/\. To specify a positional.*$/s, '');
    return { kind: 'error', message: `${message}\nvalid options: ${validFlags} (see --help)` };
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (positionals.length > 0) {
    return {
      kind: 'error',
      message: `unexpected argument "${positionals[0]}"; commands are \`sse-console\`, \`sse-console connect URL\`, \`sse-console proxy URL\`, \`sse-console doctor URL\` and \`sse-console bench URL\` (see --help)`,
    };
  }
  try {
    const openPage = values['open-page'];
    if (openPage !== undefined && pageNames.length > 0 && !pageNames.includes(openPage)) {
      throw new Error(`--open takes a page name (${pageNames.join(', ')}), got "${openPage}"`);
    }
    const cors = values.cors ?? [];
    for (const origin of cors) {
      if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
        throw new Error(
          `--cors takes an origin like http://localhost:3000 (scheme, host and port, no path) or *, got "${origin}"`,
        );
      }
    }
    if (values.script === '')
      throw new Error('--script takes a lesson script FILE (or a shipped lesson name such as reconnect)');
    const token = tokenOption(values.token);
    const { redis } = values;
    if (redis !== undefined) {
      const problem = redisUrlProblem(redis);
      if (problem !== undefined) throw new Error(problem);
      if (values['history-file'] !== undefined) {
        throw new Error(
          '--redis and --history-file both keep the replay log: give one (--redis shares it with other processes, --history-file keeps it on this disk)',
        );
      }
    }
    return {
      kind: 'run',
      args: {
        pagePort: wholeNumber('--port', values.port, 0, 65535, 8080),
        ssePort: wholeNumber('--sse-port', values['sse-port'], 0, 65535, 8122),
        host: values.host ?? '127.0.0.1',
        strictPort: values['strict-port'] ?? false,
        open: values.open ? (openPage ?? DEFAULT_PAGE_NAME) : undefined,
        historyLimit: wholeNumber('--history-limit', values['history-limit'], 1, 10_000_000),
        historyFile: values['history-file'],
        redis,
        historyMaxBytes: wholeNumber('--history-max-bytes', values['history-max-bytes'], 1024, Number.MAX_SAFE_INTEGER),
        heartbeatMs: wholeNumber('--heartbeat', values.heartbeat, 0, 3_600_000),
        cors: cors.includes('*') ? '*' : cors,
        token,
        maxConnections: wholeNumber('--max-connections', values['max-connections'], 1, 1_000_000),
        tui: !(values['no-tui'] ?? false),
        json: values.json ?? false,
        script: values.script,
        repl: values.repl ?? false,
        http2: (values.http2 ?? false) || (values.tls ?? false),
      },
    };
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
}

/** The options parseArgs reads (`open-page` is `--open PAGE` rewritten), for the CLI reference's test. */
export { options as consoleOptions };
