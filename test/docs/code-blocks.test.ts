import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleLanguage } from '../../core/app/console/console-language.js';
import {
  binaryArguments,
  blockProblems,
  documentationFiles,
  documentationProblems,
  fencedBlocks,
  shellWords,
  type CodeBlock,
} from './doc-code-blocks.js';
import { projectRoot } from '../support/project-root.js';

/*
The docs' code blocks may only show commands and flags that exist. The convention
(which blocks are read, and how) is written at the top of doc-code-blocks.ts.
*/

const block = (language: string, ...lines: string[]): CodeBlock => ({ file: 'doc.md', line: 1, language, lines });
const problems = (language: string, ...lines: string[]): string[] =>
  blockProblems(block(language, ...lines)).map((problem) => problem.problem);

describe('code blocks in README.md and docs/', () => {
  it('name only commands and flags that exist', () => {
    expect(documentationFiles(projectRoot)).toContain('README.md');
    expect(documentationProblems(projectRoot)).toEqual([]);
  });

  it('include the command reference, whose examples are `sse-console` blocks', () => {
    const page = 'docs/reference/commands.md';
    expect(documentationFiles(projectRoot)).toContain(page);
    const blocks = fencedBlocks(page, readFileSync(join(projectRoot, page), 'utf8'));
    const examples = blocks.filter((block) => block.language === 'sse-console');
    expect(examples).toHaveLength(consoleLanguage.commands.length);
  });
});

describe('reading a code block', () => {
  it('finds fenced blocks, with their language, indented ones too', () => {
    const markdown = [
      'text',
      '```sh',
      'sse-console --port 0',
      '```',
      '- item',
      '  ~~~sse-console',
      '  send hi',
      '  ~~~',
    ];
    expect(fencedBlocks('a.md', markdown.join('\n'))).toEqual([
      { file: 'a.md', line: 2, language: 'sh', lines: ['sse-console --port 0'] },
      { file: 'a.md', line: 6, language: 'sse-console', lines: ['send hi'] },
    ]);
  });

  it('splits a shell line into words, quotes removed, operators apart, comments dropped', () => {
    expect(shellWords(`FOO=1 npx sse-console -H "A: b" 'x y'&& echo ok # note`)).toEqual([
      'FOO=1',
      'npx',
      'sse-console',
      '-H',
      'A: b',
      'x y',
      '&&',
      'echo',
      'ok',
    ]);
  });

  it('knows each way the docs run the binary', () => {
    expect(binaryArguments(['sse-console', '--port', '0'])).toEqual(['--port', '0']);
    expect(binaryArguments(['npx', '--yes', 'sse-console', 'connect', 'u'])).toEqual(['connect', 'u']);
    expect(binaryArguments(['npm', 'exec', '--yes', '--package=./x.tgz', '--', 'sse-console'])).toEqual([]);
    expect(binaryArguments(['npm', 'start', '--', '--http2'])).toEqual(['--http2']);
    expect(binaryArguments(['node', 'dist/bin/sse-console.js', '--json', '>', 'out.txt'])).toEqual(['--json']);
    expect(binaryArguments(['NO_COLOR=1', 'sse-console'])).toEqual([]);
    expect(binaryArguments(['npm', 'test'])).toBeUndefined();
    expect(binaryArguments(['cd', 'sse-console'])).toBeUndefined();
  });
});

describe('a code block that does not hold', () => {
  it('names a flag the binary does not have', () => {
    expect(problems('sh', '$ npx sse-console --prot 8080')).toEqual([expect.stringContaining("'--prot'")]);
    expect(problems('bash', 'sse-console connect http://127.0.0.1:8122/ --max-event 3')).toEqual([
      expect.stringContaining('--max-event'),
    ]);
    expect(problems('console', 'npm start -- --proxy')).toHaveLength(1);
    expect(problems('sh', 'sse-console connect http://127.0.0.1:8122/ \\', '  --max-event 3')).toHaveLength(1);
    expect(problems('sh', 'sse-console proxy http://127.0.0.1:3000 --open')).toHaveLength(1);
  });

  it('gives a value the binary refuses', () => {
    expect(problems('sh', 'sse-console --port N')).toEqual([expect.stringContaining('--port')]);
  });

  it('types a console command that does not exist, or with a flag it does not have', () => {
    expect(problems('text', '> sned hello')).toHaveLength(1);
    expect(problems('text', '› send --dat x')).toHaveLength(1);
    expect(problems('sse-console', '# a comment', '', 'send hi', 'every 1s sendd x')).toHaveLength(1);
  });

  it('types in proxy mode what proxy mode refuses', () => {
    expect(problems('text', 'proxy> send --id hi')).toEqual(['--id is refused in proxy mode']);
    expect(problems('sse-console-proxy', 'history')).toEqual(['history is not a proxy mode command']);
    expect(problems('sse-console-proxy', 'delay soon')).toHaveLength(1);
  });

  it('while real commands pass', () => {
    expect(
      problems(
        'sh',
        'npx sse-console --http2 --open limits',
        'sse-console --script racket-readme   # a lesson',
        'sse-console connect localhost:8122/events --json -n 3 -t 10s | head',
        'npm install && npm start',
        'sse-console connect http://127.0.0.1:8122/ \\',
        '  --max-events 3',
      ),
    ).toEqual([]);
    expect(problems('text', '> send --data "Hello World!" --id', 'proxy› delay 2s', 'sse-console --nonsense')).toEqual(
      [],
    );
    expect(problems('sse-console-proxy', 'drop 3 all', 'send hi --to 1', 'respond reset')).toEqual([]);
  });
});
