import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
The library's API pages, written by api-documenter from the doc models api-extractor
leaves beside the API reports (api/sse-console.api.json, api/sse-console-client.api.json;
`npm run api` rewrites both). Both models name their package `sse-console`, which
would give the two entries one set of pages, so the client's is renamed
`sse-console-client` on the way in, and its pages call it `sse-console/client`, the
name it is imported by.
*/

const CLIENT = 'sse-console-client';

function clientModel(text: string): string {
  const model = JSON.parse(text.replaceAll('"sse-console!', `"${CLIENT}!`)) as { name: string };
  model.name = CLIENT;
  return JSON.stringify(model);
}

/** A page as it is kept: the client entry named as it is imported. */
function tidy(page: string): string {
  return page
    .replaceAll(`[${CLIENT}](`, '[sse-console/client](')
    .replaceAll(`## ${CLIENT} package`, '## sse-console/client package');
}

/** Every page under docs/reference/api/, by file name. Runs api-documenter (about 2 s). */
export function apiPages(root: string): Map<string, string> {
  const work = mkdtempSync(join(tmpdir(), 'sse-console-api-docs-'));
  try {
    const input = join(work, 'input');
    const output = join(work, 'output');
    mkdirSync(input);
    writeFileSync(join(input, 'sse-console.api.json'), readFileSync(join(root, 'api/sse-console.api.json')));
    const client = readFileSync(join(root, 'api/sse-console-client.api.json'), 'utf8');
    writeFileSync(join(input, `${CLIENT}.api.json`), clientModel(client));
    // The package's module is lib-esm/index.js; its command line is bin/api-documenter.
    const main = fileURLToPath(import.meta.resolve('@microsoft/api-documenter'));
    const documenter = join(dirname(main), '../bin/api-documenter');
    execFileSync(process.execPath, [documenter, 'markdown', '--input-folder', input, '--output-folder', output], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const pages = new Map<string, string>();
    for (const name of readdirSync(output).sort()) pages.set(name, tidy(readFileSync(join(output, name), 'utf8')));
    return pages;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
