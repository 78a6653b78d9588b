import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
Where demo-pages/ lives, relative to this module: two levels up from the bundle
(dist/bin/), three from the source (core/app/pages/, which the tests run), four from
tsc's output (dist/core/app/pages/). Nearest first, so an installed package finds
its own pages before anything further up; the first holding an index.html wins.
*/
export function findDemoPagesDir(moduleUrl: string = import.meta.url): string {
  const order = ['../../demo-pages/', '../../../demo-pages/', '../../../../demo-pages/'];
  const candidates = order.map((relative) => fileURLToPath(new URL(relative, moduleUrl)));
  const found = candidates.find((dir) => existsSync(`${dir}index.html`));
  if (found === undefined) {
    throw new Error(
      `demo-pages/ not found; looked in ${candidates.slice(0, -1).join(', ')} and ${candidates.at(-1) ?? ''}. ` +
        'It ships next to dist/ in the sse-console package; reinstall it if the folder is missing.',
    );
  }
  return found;
}
