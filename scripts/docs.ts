import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
`npm run docs`: writes the generated reference under docs/reference/ (console
commands, command-line options, library API) from the sources, without a build. npm
runs `npm run api` first, which refreshes the doc models (api/*.api.json) the API
pages are made from; `node --experimental-transform-types scripts/docs.ts` alone
redoes the pages from the models as they are. test/docs/reference.test.ts fails when
a page here differs from what this would write.

The sources import each other as `./name.js`, as the build needs; Node runs the `.ts`
files directly, so a resolve hook maps a `.js` that does not exist to its `.ts`/`.tsx`.
*/
registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (specifier.startsWith('.') && specifier.endsWith('.js') && parent?.startsWith('file:') === true) {
      const target = new URL(specifier, parent);
      if (!existsSync(fileURLToPath(target))) {
        for (const extension of ['.ts', '.tsx']) {
          const source = new URL(specifier.replace(/\.js$/, extension), parent);
          if (existsSync(fileURLToPath(source))) return nextResolve(source.href, context);
        }
      }
    }
    return nextResolve(specifier, context);
  },
});

const root = join(import.meta.dirname, '..');
const { API_DIR, referencePages } = await import('./reference/reference-pages.js');
const pages = referencePages(root);

let written = 0;
for (const [path, text] of pages) {
  const file = join(root, path);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  written += 1;
}
// An API page for a name no longer exported goes with it.
let removed = 0;
for (const name of readdirSync(join(root, API_DIR))) {
  if (pages.has(join(API_DIR, name))) continue;
  rmSync(join(root, API_DIR, name));
  removed += 1;
}
process.stdout.write(`docs: ${pages.size} reference pages, ${written} rewritten, ${removed} removed\n`);
