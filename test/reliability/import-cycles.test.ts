import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/project-root.js';

/*
scripts/check-cycles.ts, which `npm run lint` runs: the app's modules must not import
each other in a loop at run time (a module met again mid-evaluation is seen half-built).
*/

const script = join(projectRoot, 'scripts', 'check-cycles.ts');

function check(args: readonly string[]): { readonly code: number; readonly output: string } {
  try {
    const stdout = execFileSync(process.execPath, [script, ...args], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: failed.stdout + failed.stderr };
  }
}

let tree: string | undefined;
afterEach(() => {
  if (tree !== undefined) rmSync(tree, { recursive: true, force: true });
  tree = undefined;
});

function writeTree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  tree = root;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the import-cycle check', () => {
  it('finds none in cli/, ui/ and core/', () => {
    const result = check([]);
    expect(result.output).toMatch(/no import cycle among \d+ files \(run-time imports\)/);
    expect(result.code).toBe(0);
  });

  it('fails on a loop of run-time imports, naming its files', () => {
    const root = writeTree({
      'core/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'core/b.ts': "import { c } from '../ui/c.js';\nexport const b = c;\n",
      'ui/c.tsx': "import { a } from '../core/a.js';\nexport const c = a;\n",
    });
    const result = check(['--root', root]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'import cycle of 3 files (run-time imports):\n  core/a.ts\n  core/b.ts\n  ui/c.tsx',
    );
  });

  it('lets type-only imports and import() close a loop, but counts a mixed import', () => {
    const typeOnly = {
      'core/a.ts': "import type { B } from './b.js';\nexport const a = 1;\nexport type A = B;\n",
      'core/b.ts': "import { type A } from './a.js';\nexport type { A } from './a.js';\nexport type B = A;\n",
      'core/c.ts': "export const c = async () => (await import('./d.js')).d;\n",
      'core/d.ts': "import { c } from './c.js';\nexport const d = c;\n",
    };
    const root = writeTree(typeOnly);
    expect(check(['--root', root]).code).toBe(0);
    expect(check(['--root', root, '--all']).output).toContain('import cycle of 2 files (type-only imports included)');
    // The same loop with one value beside the type on each side loads both at start.
    writeFileSync(
      join(root, 'core/a.ts'),
      "import { b, type B } from './b.js';\nexport const a = () => b;\nexport type A = B;\n",
    );
    writeFileSync(
      join(root, 'core/b.ts'),
      "import { a, type A } from './a.js';\nexport const b = () => a;\nexport type B = A;\n",
    );
    expect(check(['--root', root]).code).toBe(1);
  });
});
