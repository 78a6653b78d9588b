import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/bench, where the compiled bench scripts live. */
export const benchDist = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const projectRoot = resolve(benchDist, '..', '..');

export const subjectServerScript = join(benchDist, 'subjects', 'server.js');
export const streamClientScript = join(benchDist, 'load', 'stream-client.js');
export const minimalInkScript = join(benchDist, 'subjects', 'minimal-ink.js');
export const moduleTrackerScript = join(benchDist, 'terminal', 'module-tracker.js');
export const cliMainScript = join(projectRoot, 'dist', 'cli', 'main.js');
export const tuiEntryScript = join(projectRoot, 'dist', 'ui', 'run-tui.js');
