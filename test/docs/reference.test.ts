import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleLanguage } from '../../core/app/console/console-language.js';
import { PROXY_COMMAND_MODULES } from '../../core/app/console/proxy-commands/list.js';
import { CLI_COMMANDS } from '../../scripts/reference/cli-page.js';
import { headingAnchor, proxyHeading } from '../../scripts/reference/commands-page.js';
import { helpOptions, readHelpText } from '../../scripts/reference/help-text.js';
import { API_DIR, REFERENCE_DIR, referencePages } from '../../scripts/reference/reference-pages.js';
import { projectRoot } from '../support/project-root.js';

/*
docs/reference/ is generated (`npm run docs`, scripts/docs.ts). These tests regenerate
every page in memory and compare, and check that nothing the parsers take is left
out of the pages.
*/

const read = (path: string): string => readFileSync(join(projectRoot, path), 'utf8');

/** The `### NAME` section of a page, up to the next heading of its level or above. */
function section(page: string, heading: string): string {
  const start = page.indexOf(`\n### ${heading}\n`);
  if (start === -1) return '';
  const rest = page.slice(start + 1);
  const end = rest.slice(1).search(/\n#{1,3} /);
  return end === -1 ? rest : rest.slice(0, end + 1);
}

describe('the generated reference', () => {
  const pages = referencePages(projectRoot);

  it('is what `npm run docs` writes today (run it after changing a command, an option or the API)', () => {
    const stale = [...pages].filter(([path, text]) => !existsSync(join(projectRoot, path)) || read(path) !== text);
    expect(
      stale.map(([path]) => path),
      'stale pages: run `npm run docs`',
    ).toEqual([]);
    const extra = readdirSync(join(projectRoot, API_DIR)).filter((name) => !pages.has(join(API_DIR, name)));
    expect(extra, 'API pages for names no longer exported: run `npm run docs`').toEqual([]);
  });

  it('links every page from the reference index', () => {
    const index = read(`${REFERENCE_DIR}/README.md`);
    for (const page of ['commands.md', 'cli.md', 'api/index.md', 'api/sse-console.md', 'api/sse-console-client.md']) {
      expect(index).toContain(`](${page})`);
      expect(pages.has(join(REFERENCE_DIR, page)), page).toBe(true);
    }
  });

  it('documents every console command with its usage, every flag and an example', () => {
    const page = read(`${REFERENCE_DIR}/commands.md`);
    for (const spec of consoleLanguage.commands) {
      const text = section(page, spec.name);
      expect(text, `commands.md has no section for ${spec.name}`).not.toBe('');
      expect(page).toContain(`](#${headingAnchor(spec.name)})`);
      expect(text).toContain(spec.usage);
      for (const flag of spec.flags) expect(text, `${spec.name} --${flag.name}`).toContain(`\`--${flag.name}\``);
      expect(spec.examples.length, `${spec.name} has no example`).toBeGreaterThan(0);
      for (const example of spec.examples) expect(text).toContain(`\n${example}\n`);
    }
  });

  it('documents every proxy mode command', () => {
    const page = read(`${REFERENCE_DIR}/commands.md`);
    for (const module of PROXY_COMMAND_MODULES) {
      const text = section(page, proxyHeading(module.name));
      expect(text, `commands.md has no section for proxy mode's ${module.name}`).not.toBe('');
      for (const [usage] of module.overview) expect(text).toContain(usage);
    }
  });

  it('names in `sse-console proxy --help` every proxy mode command, and no other', () => {
    const proxy = CLI_COMMANDS.find(({ command }) => command === 'sse-console proxy');
    const section = readHelpText(proxy?.help ?? '').find(
      (block) => block.kind === 'lines' && block.heading === 'Commands in proxy mode',
    );
    const rows = section?.kind === 'lines' ? section.lines.filter((line) => /^ {2}\S/.test(line)) : [];
    // The command column only: a description may hold commas too.
    const columns = rows.map((row) => row.trim().split(/ {2,}/)[0] ?? '');
    const named = columns.flatMap((column) => column.split(/,\s+/).map((part) => part.split(' ')[0]));
    expect(new Set(named)).toEqual(new Set(PROXY_COMMAND_MODULES.map((module) => module.name)));
  });

  describe.each(CLI_COMMANDS)('$command --help and cli.md', ({ command, help, options, internal }) => {
    const documented = helpOptions(help);

    it('document every option the parser takes, and no other', () => {
      const parsed = Object.keys(options)
        .filter((name) => !internal.includes(name))
        .map((name) => `--${name}`)
        .sort();
      expect(documented.flatMap((option) => option.names).sort()).toEqual(parsed);
    });

    it('give each option the one-letter alias the parser takes', () => {
      for (const option of documented) {
        for (const name of option.names) expect(option.short, name).toBe(options[name.slice(2)]?.short);
      }
    });

    it('are on the page', () => {
      const page = read(`${REFERENCE_DIR}/cli.md`);
      expect(page).toContain(`\n## ${command}\n`);
      for (const option of documented) for (const name of option.names) expect(page).toContain(`\`${name}\``);
    });
  });
});
