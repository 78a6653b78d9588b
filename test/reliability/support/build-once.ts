/**
The `binary` test project's global setup: its tests run the built binary
(`dist/bin/sse-console.js`) and fixtures that import tsc's `dist/core`, and `npm test`
does not build first. Before any of them runs, this builds once when the output is
missing or older than the sources (what `npm run build` does), and transpiles the
child-process fixtures next to it, so a fresh clone passes `npm test` as it is.
*/
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { BINARY, FIXTURE_DIR, fixtureOutput, PROJECT_ROOT } from './build.js';

/** The sources the binary is compiled from. */
const SOURCE_DIRS = ['cli', 'core', 'ui'];
const BUILD_TIMEOUT_MS = 170_000;

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestSourceTime(path));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
The bundle (what the tests run) and tsc's output (what the fixtures import) are built
by separate tools, and `npm start` rebuilds only the bundle: both must be fresh.
*/
const BUILD_OUTPUTS = [BINARY, join(PROJECT_ROOT, 'dist', 'core', 'app', 'console', 'start-console.js')];

/** How the bundle is cut and written: a change to it is a change to the binary. */
const BUNDLE_CONFIG = join(PROJECT_ROOT, 'rolldown.config.ts');

function binaryIsFresh(): boolean {
  const newestSource = Math.max(
    statSync(BUNDLE_CONFIG).mtimeMs,
    ...SOURCE_DIRS.map((dir) => newestSourceTime(join(PROJECT_ROOT, dir))),
  );
  return BUILD_OUTPUTS.every((output) => existsSync(output) && statSync(output).mtimeMs >= newestSource);
}

function runNodeScript(script: string, args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules', script), ...args],
      { cwd: PROJECT_ROOT, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** What `npm run build` does: tsc for dist/ (library and fixtures' imports), then the bundled binary. */
async function runBuild(): Promise<{ code: number; output: string }> {
  const tsc = await runNodeScript('typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
  const bundle = await runNodeScript('rolldown/bin/cli.mjs', ['-c', 'rolldown.config.ts']);
  return { code: tsc.code || bundle.code, output: `${tsc.output}${bundle.output}` };
}

/**
Transpiles each fixture on its own (no type check; `npm run typecheck` covers them).
Written under dist/ in the source tree's layout, their relative imports of `core/`
resolve to the compiled engine.
*/
function transpileFixtures(): void {
  for (const entry of readdirSync(FIXTURE_DIR)) {
    if (!entry.endsWith('.ts')) {
      continue;
    }
    const source = readFileSync(join(FIXTURE_DIR, entry), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: entry,
    });
    const target = fixtureOutput(entry.slice(0, -'.ts'.length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
}

/** Builds `dist/` if the binary is missing or older than any source, then transpiles the fixtures. */
export default async function buildOnce(): Promise<void> {
  if (!binaryIsFresh()) {
    const startedAt = Date.now();
    const { code, output } = await runBuild();
    // tsc emits even when some file has a type error; the binary is usable if it
    // was written. Type errors are the typecheck's business, not this suite's.
    if (BUILD_OUTPUTS.some((output) => !existsSync(output) || statSync(output).mtimeMs < startedAt - 1000)) {
      throw new Error(`building dist/ failed (exit ${code}):\n${output.slice(0, 4000)}`);
    }
  }
  transpileFixtures();
}
