import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
The library's API pages, written by api-documenter from the doc models api-extractor
leaves beside the API reports (api/sse-console.api.json for the main entry, and one
api/sse-console-NAME.api.json per subpath entry `sse-console/NAME`; `npm run api`
rewrites them). Every model names its package `sse-console`, which would give all
entries one set of pages, so a subpath entry's model is renamed `sse-console-NAME` on
the way in, and its pages call it `sse-console/NAME`, the name it is imported by.
*/

/** The subpath entries' model names: `sse-console-client` for `sse-console/client` … */
function subpathModels(root: string): string[] {
  return readdirSync(join(root, 'api'))
    .filter((name) => /^sse-console-[a-z]+\.api\.json$/.test(name))
    .map((name) => name.replace(/\.api\.json$/, ''))
    .sort();
}

function renamedModel(text: string, name: string): string {
  const model = JSON.parse(text.replaceAll('"sse-console!', `"${name}!`)) as { name: string };
  model.name = name;
  return JSON.stringify(model);
}

/** A page as it is kept: each subpath entry named as it is imported. */
function tidy(page: string, models: readonly string[]): string {
  let tidied = page;
  for (const name of models) {
    const imported = name.replace(/^sse-console-/, 'sse-console/');
    tidied = tidied
      .replaceAll(`[${name}](`, `[${imported}](`)
      .replaceAll(`## ${name} package`, `## ${imported} package`);
  }
  return tidied;
}

/** Every page under docs/reference/api/, by file name. Runs api-documenter (about 2 s). */
export function apiPages(root: string): Map<string, string> {
  const work = mkdtempSync(join(tmpdir(), 'sse-console-api-docs-'));
  try {
    const input = join(work, 'input');
    const output = join(work, 'output');
    mkdirSync(input);
    writeFileSync(join(input, 'sse-console.api.json'), readFileSync(join(root, 'api/sse-console.api.json')));
    const models = subpathModels(root);
    for (const name of models) {
      const text = readFileSync(join(root, `api/${name}.api.json`), 'utf8');
      writeFileSync(join(input, `${name}.api.json`), renamedModel(text, name));
    }
    // The package's module is lib-esm/index.js; its command line is bin/api-documenter.
    const main = fileURLToPath(import.meta.resolve('@microsoft/api-documenter'));
    const documenter = join(dirname(main), '../bin/api-documenter');
    execFileSync(process.execPath, [documenter, 'markdown', '--input-folder', input, '--output-folder', output], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const pages = new Map<string, string>();
    for (const name of readdirSync(output).sort()) {
      pages.set(name, tidy(readFileSync(join(output, name), 'utf8'), models));
    }
    return pages;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
