/**
The process-level tests run the built binary (`dist/bin/sse-console.js`), and `npm test`
does not build. `ensureBuilt()` compiles once when the output is missing or older
than the sources, and transpiles the child-process fixtures next to it, so a fresh
clone passes `npm test` as it is.
*/
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { binaryPath, projectRoot } from '../../support/project-root.js';

export const PROJECT_ROOT = projectRoot;
export const BINARY = binaryPath;

/** The sources the binary is compiled from. */
const SOURCE_DIRS = ['cli', 'core', 'ui'];
const FIXTURE_DIR = join(PROJECT_ROOT, 'test', 'reliability', 'fixtures');
/** Held while one test file builds, so parallel test files never run tsc at once. */
const LOCK_DIR = join(PROJECT_ROOT, 'dist', '.reliability-build.lock');
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 180_000;
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

/** The path a fixture's JavaScript is written to: it mirrors the source tree under dist/. */
export function fixtureOutput(name: string): string {
  return join(PROJECT_ROOT, 'dist', relative(PROJECT_ROOT, FIXTURE_DIR), `${name}.js`);
}

/**
Transpiles each fixture on its own (no type check; `npm run typecheck` covers them).
Written under dist/ in the source tree's layout, their relative imports of `core/`
resolve to the compiled engine. Written to a temporary name and renamed, so a
fixture starting in another test file never reads half a file.
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
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, outputText);
    renameSync(temporary, target);
  }
}

async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS + 10_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      let age: number;
      try {
        age = Date.now() - statSync(LOCK_DIR).mtimeMs;
      } catch {
        continue; // released between the two calls
      }
      if (age > STALE_LOCK_MS) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `waited too long for another test file's build (lock ${LOCK_DIR}); remove it if no test is running`,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

let built: Promise<void> | undefined;

/**
Builds `dist/` if the binary is missing or older than any source, then transpiles the
fixtures. Call it from a `beforeAll` with a long timeout (a build takes ~10-30 s).
*/
export function ensureBuilt(): Promise<void> {
  built ??= withBuildLock(async () => {
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
  });
  return built;
}

/** Generous hook timeout for a `beforeAll(ensureBuilt)`: a cold build on a loaded 2-core machine. */
export const BUILD_HOOK_TIMEOUT_MS = 180_000;
