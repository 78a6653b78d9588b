import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentationFiles } from './doc-code-blocks.js';
import { projectRoot } from '../support/project-root.js';

/** Relative links of a Markdown text (`[text](path)`, `[text](path#anchor)`), outside code blocks. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\s*\2\s*$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? '')
    .filter((target) => !/^([a-z]+:|#)/i.test(target));
}

describe('links between the docs', () => {
  it('finds relative links outside code', () => {
    expect(relativeLinks('[a](b.md) [c](https://x) [d](#e) `[f](g.md)`\n```\n[h](i.md)\n```\n[j](k/l.md#m)')).toEqual([
      'b.md',
      'k/l.md#m',
    ]);
  });

  it('point at files that exist', () => {
    const broken = documentationFiles(projectRoot).flatMap((file) =>
      relativeLinks(readFileSync(join(projectRoot, file), 'utf8'))
        .filter((target) => !existsSync(join(projectRoot, dirname(file), decodeURI(target.replace(/#.*$/, '')))))
        .map((target) => `${file}: ${target}`),
    );
    expect(broken).toEqual([]);
  });
});
