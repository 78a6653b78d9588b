/** Where the `binary` project's tests find what `build-once.ts` (its global setup) built. */
import { join, relative } from 'node:path';
import { binaryPath, projectRoot } from '../../support/project-root.js';

export const PROJECT_ROOT = projectRoot;
export const BINARY = binaryPath;

/** Child-process fixtures, transpiled into dist/ by the global setup. */
export const FIXTURE_DIR = join(PROJECT_ROOT, 'test', 'reliability', 'fixtures');

/** The path a fixture's JavaScript is written to: it mirrors the source tree under dist/. */
export function fixtureOutput(name: string): string {
  return join(PROJECT_ROOT, 'dist', relative(PROJECT_ROOT, FIXTURE_DIR), `${name}.js`);
}
