import { basename, isAbsolute, relative } from 'node:path';

/** What the binary sees of how it was started. */
export interface Invocation {
  /** `process.argv[1]`: the script path as the shell or npm ran it. */
  readonly script: string;
  /** The working directory. */
  readonly cwd: string;
  /** The environment (npm sets `npm_lifecycle_event` and `npm_package_name` for what it runs). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
The command that starts this console again the way it was started, for the pages'
copyable lines (`… --http2 --open limits`): `npx sse-console` under npx, `npm start --`
from a clone, `sse-console` when run from PATH, else `node PATH` (relative to the
working directory when inside it).
*/
export function launchCommand({ script, cwd, env }: Invocation): string {
  if (basename(script) === 'sse-console') {
    // A bin link: npx runs it from its own cache, a global install from PATH.
    return env.npm_lifecycle_event === 'npx' ? 'npx sse-console' : 'sse-console';
  }
  if (env.npm_lifecycle_event === 'start' && env.npm_package_name === 'sse-console') return 'npm start --';
  const shown = relative(cwd, script);
  const path = shown === '' || shown.startsWith('..') || isAbsolute(shown) ? script : shown;
  return `node ${/^[\w./@+-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`}`;
}
