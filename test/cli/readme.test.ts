import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleLanguage } from '../../core/app/console/console-language.js';

const { commands: COMMANDS, referenceMarkdown: commandReferenceMarkdown } = consoleLanguage;

const readmeUrl = new URL('../../README.md', import.meta.url);
const start = '<!-- commands:start -->';
const end = '<!-- commands:end -->';

/**
The README's command reference is rendered from the command table. Run
`npm run docs` (UPDATE_README=1) to rewrite it after changing the table.
*/
describe('README command reference', () => {
  it('matches the command table', () => {
    const readme = readFileSync(readmeUrl, 'utf8');
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    expect(from, `README.md needs a ${start} marker`).toBeGreaterThan(-1);
    expect(to).toBeGreaterThan(from);
    const expected = `\n${commandReferenceMarkdown().trimEnd()}\n`;
    if (process.env.UPDATE_README === '1') {
      writeFileSync(readmeUrl, `${readme.slice(0, from + start.length)}${expected}${readme.slice(to)}`);
      return;
    }
    expect(readme.slice(from + start.length, to), 'README command reference is stale: run `npm run docs`').toBe(
      expected,
    );
  });

  it('documents every command with an example', () => {
    const readme = readFileSync(readmeUrl, 'utf8');
    for (const spec of COMMANDS) {
      expect(readme).toContain(`### ${spec.name}`);
      expect(spec.examples.length).toBeGreaterThan(0);
    }
  });
});
