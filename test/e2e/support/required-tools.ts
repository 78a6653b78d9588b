import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { binaryPath } from '../../support/project-root.js';

/** Debian's chromium; playwright-core drives it instead of a downloaded browser. */
export const chromiumPath = '/usr/bin/chromium';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function tmuxRuns(): boolean {
  const result = spawnSync('tmux', ['-V'], { encoding: 'utf8', timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

/**
Throws, naming what to install, unless chromium, tmux and the built binary are
all there. Every end-to-end file calls it first: a missing tool must fail the run,
never skip it, or a green result would prove nothing.
*/
export function requireE2eTools(): void {
  const missing: string[] = [];
  if (!isExecutable(chromiumPath)) {
    missing.push(`${chromiumPath} is missing: the browser tests need Debian's chromium (apt-get install chromium)`);
  }
  if (!tmuxRuns()) {
    missing.push('tmux is missing or does not run: the terminal tests need it (apt-get install tmux)');
  }
  if (!isReadable(binaryPath)) {
    missing.push(`${binaryPath} is missing: build first (npm run build; npm run test:e2e does it for you)`);
  }
  if (missing.length > 0) {
    throw new Error(`The end-to-end tests cannot run:\n- ${missing.join('\n- ')}`);
  }
}

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
