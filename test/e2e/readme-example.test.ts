import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/project-root.js';
import { requireE2eTools } from './support/required-tools.js';

// The library examples must run as printed, against the built package: the README's
// short one, and the Racket README session in docs/racket.md.

const run = promisify(execFile);
let scratch: string | undefined;

/** The ```js block between `<!-- example:NAME:start -->` and its end marker in a Markdown file. */
function markedExample(file: string, name: string): string {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  const startMarker = `<!-- example:${name}:start -->`;
  const endMarker = `<!-- example:${name}:end -->`;
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start === -1 || end < start) throw new Error(`${file} needs ${startMarker} … ${endMarker} around the example`);
  const block = /```js\n([\s\S]*?)```/.exec(text.slice(start + startMarker.length, end));
  if (!block?.[1]) throw new Error(`${file} has no \`\`\`js block between ${startMarker} and ${endMarker}`);
  return block[1];
}

/**
Runs an example inside the project (tmp/ is git-ignored), so that `sse-console`
resolves to this package through its own `exports`, the way a user's
`npm install sse-console` would. Resolves to the lines it printed.
*/
async function runExample(source: string): Promise<string[]> {
  mkdirSync(join(projectRoot, 'tmp'), { recursive: true });
  scratch = mkdtempSync(join(projectRoot, 'tmp', 'readme-example-'));
  const file = join(scratch, 'example.mjs');
  writeFileSync(file, source);
  const { stdout, stderr } = await run(process.execPath, [file], { cwd: scratch, timeout: 30_000 });
  expect(stderr).toBe('');
  return stdout.split('\n').filter(Boolean);
}

const expectedOutput = [
  'tab 1 got "Hello World!"',
  'tab 1 got "Hello World! (again)" (id 1)',
  'tab 2 got "Hello World! (again)" (id 1)',
  'tab 3 got "Hello World! (again)" (id 1)',
  'tab 1 got "Sent while you were away" (id 2)',
  'tab 2 got "Sent while you were away" (id 2)',
  'tab 3 got "Sent while you were away" (id 2)',
  'they reconnected with Last-Event-ID 1, 1, 1',
  'tab 1 got "Order placed" (id order-7f3a)',
  'tab 1 got "Order shipped" (id order-9c1d)',
  'tab 1 reconnected with Last-Event-ID order-7f3a',
  'tab 1 got "Just for you"',
  'ERR_SSE_NO_SUCH_CONNECTION: connection #99 is not open',
  'ERR_SSE_FIELD: event name may not contain CR or LF: got "two\\nlines"',
];

// A missing tool fails every test, rather than marking them skipped.
beforeEach(() => {
  requireE2eTools();
});

afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('the README library example', () => {
  it('runs in at most 15 lines: the stored event is replayed, the live one arrives as JSON', async () => {
    const source = markedExample('README.md', 'library');
    expect(source).toMatch(/from 'sse-console'/);
    expect(source.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
    // The comment on the console.log line shows the output; it must be the real one.
    expect(source).toContain('// id 1: Hello World!, then id 2: {"user":"ada"}');
    expect(await runExample(source)).toEqual(['id 1: Hello World!', 'id 2: {"user":"ada"}']);
  });
});

describe('the Racket README session in docs/racket.md', () => {
  it('reproduces the Racket session: what each tab receives, and the resume after closeAll', async () => {
    const source = markedExample('docs/racket.md', 'racket');
    expect(source).toMatch(/from 'sse-console'/);
    // The comment at the end of the example shows the output; it must be the real one.
    const printed = /\/\/ Prints:\n((?:\/\/ .*\n)+)/.exec(source);
    expect(
      printed?.[1]
        ?.split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3)),
    ).toEqual(expectedOutput);
    expect(await runExample(source)).toEqual(expectedOutput);
  });
});
