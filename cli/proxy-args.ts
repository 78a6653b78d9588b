import { parseArgs } from 'node:util';
import { errorMessage } from '../core/app/console/error-message.js';
import { parseSize, tokenOption, wholeNumber } from './option-values.js';

interface ProxyArgs {
  readonly upstream: URL;
  readonly port: number;
  readonly host: string;
  readonly strictPort: boolean;
  readonly token: string | undefined;
  readonly upstreamTimeoutMs: number;
  /** Undefined: the decoder's default (4 MiB, as `connect`'s). */
  readonly maxBufferSize: number | undefined;
  readonly tui: boolean;
  readonly json: boolean;
}

export type ProxyArgsResult =
  | { readonly kind: 'run'; readonly args: ProxyArgs }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const options = {
  'sse-port': { type: 'string' },
  host: { type: 'string' },
  'strict-port': { type: 'boolean' },
  token: { type: 'string' },
  'upstream-timeout': { type: 'string' },
  'max-buffer': { type: 'string' },
  'no-tui': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const validFlags = Object.keys(options)
  .map((name) => `--${name}`)
  .join(', ');

/** `sse-console proxy URL [options]`. */
export function parseProxyArgs(argv: readonly string[]): ProxyArgsResult {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; strict: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = errorMessage(error).replace(/\. To specify a positional.*$/s, '');
    return { kind: 'error', message: `proxy: ${message}\nvalid options: ${validFlags} (see sse-console proxy --help)` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  try {
    if (positionals.length !== 1) {
      throw new Error(
        positionals.length === 0
          ? 'proxy needs the URL of your app, like sse-console proxy http://127.0.0.1:3000'
          : `proxy takes one URL, got also "${positionals[1] ?? ''}"`,
      );
    }
    let upstream: URL;
    try {
      upstream = new URL(positionals[0] ?? '');
    } catch {
      throw new Error(
        `proxy: "${positionals[0] ?? ''}" is not a URL; give your app's origin, like http://127.0.0.1:3000`,
      );
    }
    if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
      throw new Error(`proxy: the URL must start with http:// or https://, got "${upstream.protocol}"`);
    }
    if (upstream.search !== '' || upstream.hash !== '' || upstream.username !== '' || upstream.password !== '') {
      throw new Error(
        "proxy: give the app's origin (and optionally a base path) without query, fragment or credentials",
      );
    }
    const token = tokenOption(values.token);
    const maxBufferText = values['max-buffer'];
    const maxBufferSize = maxBufferText === undefined ? undefined : parseSize(maxBufferText);
    if (maxBufferText !== undefined && maxBufferSize === undefined) {
      throw new Error(
        `proxy: --max-buffer expects a size of at least 1KiB, e.g. 512KiB, 8MiB or 100000 (characters); got ${JSON.stringify(maxBufferText)}`,
      );
    }
    return {
      kind: 'run',
      args: {
        upstream,
        port: wholeNumber('--sse-port', values['sse-port'], 0, 65535, 8122),
        host: values.host ?? '127.0.0.1',
        strictPort: values['strict-port'] ?? false,
        token,
        upstreamTimeoutMs: wholeNumber('--upstream-timeout', values['upstream-timeout'], 1, 3_600_000, 30_000),
        maxBufferSize,
        tui: !(values['no-tui'] ?? false),
        json: values.json ?? false,
      },
    };
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
}

/** The options parseArgs reads, for the CLI reference's test. */
export { options as proxyOptions };
