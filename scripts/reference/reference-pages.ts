import { join } from 'node:path';
import { apiPages } from './api-pages.js';
import { cliPage } from './cli-page.js';
import { commandsPage } from './commands-page.js';
import { generatedBanner } from './markdown.js';

/** Where the generated pages live, from the repository root. */
export const REFERENCE_DIR = 'docs/reference';
export const API_DIR = `${REFERENCE_DIR}/api`;

function indexPage(): string {
  return `${generatedBanner('scripts/reference/reference-pages.ts')}

# Reference

Generated from the code, so it says what the code does; \`npm run docs\` regenerates it, and \`npm test\` fails when a page is stale.

- [Console commands](commands.md): every command typed at the console prompt, its flags and examples, the keys, and the commands of proxy mode.
- [Command line](cli.md): every option of \`sse-console\`, \`sse-console connect\` and \`sse-console proxy\`.
- [Library API](api/index.md): every export of [\`sse-console\`](api/sse-console.md) and its subpath entries ([\`sse-console/client\`](api/sse-console-client.md) and the others listed there), from the TSDoc of the public entries.
`;
}

/** Every generated page, by its path from the repository root. */
export function referencePages(root: string): Map<string, string> {
  const pages = new Map<string, string>([
    [`${REFERENCE_DIR}/README.md`, indexPage()],
    [`${REFERENCE_DIR}/commands.md`, commandsPage()],
    [`${REFERENCE_DIR}/cli.md`, cliPage()],
  ]);
  for (const [name, text] of apiPages(root)) pages.set(join(API_DIR, name), text);
  return pages;
}
