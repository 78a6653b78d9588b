import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
Where demo-pages/ lives. The built module sits in dist/core/pages/ (three levels
below the package root); the source module, which the tests run, sits two levels
below. Both are tried, the one matching this module's place first, and the first
holding an index.html wins.
*/
export function findDemoPagesDir(moduleUrl: string = import.meta.url): string {
  const built = '../../../demo-pages/';
  const source = '../../demo-pages/';
  const order = moduleUrl.includes('/dist/') ? [built, source] : [source, built];
  const candidates = order.map((relative) => fileURLToPath(new URL(relative, moduleUrl)));
  const found = candidates.find((dir) => existsSync(`${dir}index.html`));
  if (found === undefined) {
    throw new Error(
      `demo-pages/ not found; looked in ${candidates.join(' and ')}. ` +
        'It ships next to dist/ in the sse-console package; reinstall it if the folder is missing.',
    );
  }
  return found;
}
