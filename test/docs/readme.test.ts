import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleLanguage } from '../../core/app/console/console-language.js';

const readmeUrl = new URL('../../README.md', import.meta.url);

/** The README is the five-minute introduction; reference and guides live in docs/. */
const README_MAX_BYTES = 12 * 1024;

/**
The console commands the README tells a reader to type: inline code spans whose first
word is a command and that give it arguments (`send --data "Hello World!"`,
`close all`), or that follow "type" (`tour`, `open`). A bare name mentioned in a list
(`close`) is a name, not a line to type.
*/
function commandsToType(readme: string): string[] {
  const prose = readme.replace(/^```[\s\S]*?^```/gm, '');
  const typed: string[] = [];
  for (const match of prose.matchAll(/(\btype\s+)?`([^`\n]+)`/gi)) {
    const span = match[2] ?? '';
    const [first = '', ...rest] = span.split(/\s+/);
    if (!consoleLanguage.commands.some((spec) => spec.name === first)) continue;
    if (rest.length > 0 || match[1] !== undefined) typed.push(span);
  }
  return typed;
}

describe('README', () => {
  it(`stays at most ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(readmeUrl).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('links to the generated command and CLI references instead of holding them', () => {
    const readme = readFileSync(readmeUrl, 'utf8');
    expect(readme).toContain('](docs/reference/commands.md)');
    expect(readme).toContain('](docs/reference/cli.md)');
    expect(readme).not.toContain('<!-- commands:start -->');
  });

  it('names only console commands that parse as written', () => {
    const typed = commandsToType(readFileSync(readmeUrl, 'utf8'));
    // The walk-through alone types send, close all, tour and open.
    expect(typed).toEqual(expect.arrayContaining(['send --data "Hello World!"', 'close all', 'tour', 'open']));
    const refused = typed
      .map((line) => ({ line, parsed: consoleLanguage.parseCommandLine(line) }))
      .flatMap(({ line, parsed }) => (parsed.ok ? [] : [`${line}: ${parsed.error}`]));
    expect(refused).toEqual([]);
  });
});
