import type { Command } from '../../commands/types.js';
import type { Proxy } from '../../proxy/create-proxy.js';
import type { LogRecord } from '../log-records.js';
import type { LogKind } from '../types.js';
import type { Result } from '../../result.js';

/** A fault command's parse: the command, or one line saying what was wrong and the usage. */
export type FaultParse<C> = Result<{ command: C }>;

/** What a proxy command's `run` gets from the proxy controller. */
export interface ProxyContext {
  readonly proxy: Proxy;
  readonly state: { raw: boolean };
  readonly now: () => number;
  readonly emit: (kind: LogKind, text: string, fields?: LogRecord) => void;
  readonly changed: () => void;
  readonly quit: () => void;
  /** True for 'all' and for a live proxied stream's number. */
  readonly exists: (target: number | 'all') => boolean;
  /** Logs "no proxied stream #N". */
  readonly noStream: (target: number) => void;
  /** `help` in proxy mode, for the help command. */
  readonly helpLines: (topic: string | undefined) => string[];
  /** The columns an answer gets in the view that shows it; undefined: no limit (line mode). */
  readonly viewWidth: () => number | undefined;
}

/**
One command of `sse-console proxy`, whole: its line in the proxy's help, and `run`.
Commands the console also has (send, close, respond …) are parsed by the console's
parser and listed by the names of the console commands they run (`runs`); the
proxy's own fault commands (delay, drop, pause, resume) parse their line here
(`parse`), before the console parser, since `pause` means another thing there.
*/
export interface ProxyCommandModule<C extends { readonly name: string } = { readonly name: string }> {
  readonly name: string;
  /** Rows of the proxy's help overview: usage and summary. */
  readonly overview: readonly (readonly [string, string])[];
  /** `help NAME` in proxy mode; absent: the console's help for the command. */
  readonly details?: readonly string[];
  /** Console command names this module runs (parsed by the console's parser). */
  readonly runs?: readonly Command['name'][];
  /** A proxy-only command parses its own words (the first is its name). */
  readonly parse?: (words: readonly string[]) => FaultParse<C>;
  readonly run: (command: C, context: ProxyContext) => void;
  /** A line that runs as it stands, offered on the first screen (absent: not offered there). */
  readonly example?: string;
  /** Words after the name that Tab completes (fault commands; the others complete from the console's table). */
  readonly completes?: (position: number) => readonly string[];
  /** Flags of the console's spec that proxy mode refuses, so Tab never offers them. */
  readonly refusedFlags?: readonly string[];
}
