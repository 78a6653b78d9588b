/**
How the binary is cut into files decides how fast it starts: Node's ESM loader
resolves, reads, checks the code cache of and links each file, and reads a source
with any non-ASCII character as a two-byte string. These tests hold the layout that
line mode's start-up benchmark depends on (rolldown.config.ts says why each rule is
there); the benchmark measures the time.
*/
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BINARY } from './support/build.js';
import { crashSigns, startConsoleProcess } from '../support/console-process.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();
const binDir = dirname(BINARY);
const trackerDir = mkdtempSync(join(tmpdir(), 'sse-console-module-log-'));

afterAll(() => rmSync(trackerDir, { recursive: true, force: true }));

/** A `--import` module that logs every file URL the process resolves, one per line, to `logFile`. */
function moduleTracker(logFile: string): string {
  const hooks = join(trackerDir, 'hooks.mjs');
  writeFileSync(
    hooks,
    [
      "import { appendFileSync } from 'node:fs';",
      'export async function resolve(specifier, context, nextResolve) {',
      '  const result = await nextResolve(specifier, context);',
      `  if (result.url.startsWith('file:')) appendFileSync(${JSON.stringify(logFile)}, result.url + '\\n');`,
      '  return result;',
      '}',
    ].join('\n'),
  );
  const register = join(trackerDir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return pathToFileURL(register).href;
}

describe('the bundled binary', () => {
  it('is executable after a build, as npm and `npx sse-console` in a clone run it', () => {
    // The global setup ran the bundler as `npm start` and `npm run build` do (rolldown -c).
    expect((statSync(BINARY).mode & 0o777).toString(8)).toBe('755');
  });

  it('is plain ASCII in every file, so Node reads each source as a one-byte string', () => {
    const offenders = readdirSync(binDir)
      .filter((name) => name.endsWith('.js'))
      .flatMap((name) => {
        const lines = readFileSync(join(binDir, name), 'utf8').split('\n');
        const index = lines.findIndex((line) => /[^\u0000-\u007f]/.test(line));
        return index === -1 ? [] : [`${name}:${index + 1}: ${lines[index]?.slice(0, 120) ?? ''}`];
      });
    expect(offenders).toEqual([]);
  });

  it('starts line mode from a handful of files: the console is one chunk', async () => {
    const logFile = join(trackerDir, 'line-mode.log');
    const proc = await startConsoleProcess([], { cleanup, nodeArgs: ['--import', moduleTracker(logFile)] });
    const loaded = [
      ...new Set(
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((url) => url.startsWith(pathToFileURL(binDir).href)),
      ),
    ].map((url) => url.slice(url.lastIndexOf('/') + 1));
    // The entry, dispatch, the console and their few shared chunks. Left to the
    // bundler's default cut, the same start read 26 files.
    expect(loaded.length, loaded.join('\n')).toBeLessThanOrEqual(8);
    expect(loaded.filter((name) => name.startsWith('console-'))).toHaveLength(1);
    expect(crashSigns(proc)).toEqual([]);
  });

  it('runs `connect` without the server: the console imports the library through its entry, connect binds only the client', () => {
    const logFile = join(trackerDir, 'connect.log');
    // Port 9 is on fetch's bad-ports list: connect fails at once, after loading all it needs.
    const run = spawnSync(
      process.execPath,
      ['--import', moduleTracker(logFile), BINARY, 'connect', '--no-reconnect', 'http://127.0.0.1:9/'],
      { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.stdout + run.stderr).toContain('bad ports');
    const loaded = [
      ...new Set(
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((url) => url.startsWith(pathToFileURL(binDir).href)),
      ),
    ].map((url) => url.slice(url.lastIndexOf('/') + 1));
    expect(loaded.filter((name) => name.startsWith('console-'))).toEqual([]);
    const withServer = loaded.filter((name) =>
      /function (createSse|startSseServer|createHardenedServer)\(/.test(readFileSync(join(binDir, name), 'utf8')),
    );
    expect(withServer, loaded.join('\n')).toEqual([]);
  });
});
