import type * as NodeChildProcess from 'node:child_process';

/** xdg-open's exit codes, in words (its manual page). */
const xdgOpenExits: Readonly<Record<number, string>> = {
  1: 'bad arguments',
  2: 'a file did not exist',
  3: 'no browser or opener tool was found',
  4: 'the browser failed to start',
};

export interface OpenBrowserOptions {
  /** The opener and its arguments before the URL; default: the platform's. */
  readonly command?: readonly [string, ...string[]];
  /** How long an opener still running counts as a browser started (some wait for it to close). Default 3000 ms. */
  readonly settleMs?: number;
}

function platformOpener(): readonly [string, ...string[]] {
  if (process.platform === 'darwin') return ['open'];
  if (process.platform === 'win32') return ['cmd', '/c', 'start', '""'];
  return ['xdg-open'];
}

/**
Opens a URL with the platform's opener. Resolves once the opener exited with 0, or is
still running after `settleMs` (it then waits for the browser); rejects with a reason
when it could not start or exited with another code: xdg-open exits 3 when no browser
is installed, which a spawn alone would report as success.
*/
export function openBrowser(url: string, options: OpenBrowserOptions = {}): Promise<void> {
  const [command, ...args] = options.command ?? platformOpener();
  return new Promise((resolve, reject) => {
    // Loaded here, not at start-up: node:child_process brings node:dgram and more (~3 ms).
    const { spawn }: typeof NodeChildProcess = process.getBuiltinModule('node:child_process');
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    const settled = setTimeout(() => {
      child.unref();
      resolve();
    }, options.settleMs ?? 3000);
    settled.unref();
    child.once('error', (error) => {
      clearTimeout(settled);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(settled);
      if (code === 0) {
        resolve();
        return;
      }
      const why =
        code === null
          ? `stopped by ${signal ?? 'a signal'}`
          : `exited with ${code}${xdgOpenExits[code] === undefined || command !== 'xdg-open' ? '' : `: ${xdgOpenExits[code]}`}`;
      reject(new Error(`${command} ${why}`));
    });
  });
}
