import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/project-root.js';
import { requireE2eTools } from './support/required-tools.js';

// The README's library example must run as printed, against the built package.

const run = promisify(execFile);
const startMarker = '<!-- example:racket:start -->';
const endMarker = '<!-- example:racket:end -->';

/** The ```js block between the README's racket markers. */
function readmeExample(): string {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start === -1 || end < start) throw new Error(`README.md needs ${startMarker} … ${endMarker} around the example`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start + startMarker.length, end));
  if (!block?.[1]) throw new Error(`README.md has no \`\`\`js block between ${startMarker} and ${endMarker}`);
  return block[1];
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

let scratch: string | undefined;

// A missing tool fails every test, rather than marking them skipped.
beforeEach(() => {
  requireE2eTools();
});

afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('the README library example', () => {
  it('reproduces the Racket session: what each tab receives, and the resume after closeAll', async () => {
    const source = readmeExample();
    expect(source).toMatch(/from 'sse-console'/);
    // The comment at the end of the example shows the output; it must be the real one.
    const printed = /\/\/ Prints:\n((?:\/\/ .*\n)+)/.exec(source);
    expect(
      printed?.[1]
        ?.split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3)),
    ).toEqual(expectedOutput);

    // Inside the project (tmp/ is git-ignored), so that `sse-console` resolves to this
    // package through its own `exports`, the way a user's `npm install sse-console` would.
    mkdirSync(join(projectRoot, 'tmp'), { recursive: true });
    scratch = mkdtempSync(join(projectRoot, 'tmp', 'readme-example-'));
    const file = join(scratch, 'racket-session.mjs');
    writeFileSync(file, source);
    const { stdout, stderr } = await run(process.execPath, [file], { cwd: scratch, timeout: 30_000 });
    expect(stderr).toBe('');
    expect(stdout.split('\n').filter(Boolean)).toEqual(expectedOutput);
  });
});
