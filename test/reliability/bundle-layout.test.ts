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
import { createServer, type AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, BUILD_HOOK_TIMEOUT_MS, ensureBuilt } from './support/build.js';
import { crashSigns, startConsoleProcess } from '../support/console-process.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();
const binDir = dirname(BINARY);
const trackerDir = mkdtempSync(join(tmpdir(), 'sse-console-module-log-'));

beforeAll(ensureBuilt, BUILD_HOOK_TIMEOUT_MS);
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
    // ensureBuilt ran the bundler as `npm start` and `npm run build` do (rolldown -c).
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

  it('loads the Redis client only with --redis, and says so when the server cannot be reached', async () => {
    const { redisChunks } = JSON.parse(readFileSync(join(binDir, 'bundle-manifest.json'), 'utf8')) as {
      redisChunks: string[];
    };
    // node-redis is bundled (a lazy chunk): `npx sse-console --redis` needs nothing installed.
    expect(redisChunks.length).toBeGreaterThan(0);
    const loadedBy = (logFile: string): string[] => [
      ...new Set(
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((url) => url.startsWith(pathToFileURL(binDir).href))
          .map((url) => url.slice(url.lastIndexOf('/') + 1)),
      ),
    ];

    const lineLog = join(trackerDir, 'line-mode-no-redis.log');
    const proc = await startConsoleProcess([], { cleanup, nodeArgs: ['--import', moduleTracker(lineLog)] });
    proc.send('send --data "a stored one" --id');
    await proc.waitForLog((line) => line.type === 'sent', 'the send');
    expect(loadedBy(lineLog).filter((name) => redisChunks.includes(name))).toEqual([]);

    // A port nobody listens on: refused at once, in words, before any listener starts.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const redisLog = join(trackerDir, 'redis-unreachable.log');
    const run = spawnSync(
      process.execPath,
      ['--import', moduleTracker(redisLog), BINARY, '--no-tui', '--redis', `redis://127.0.0.1:${closed}`],
      { encoding: 'utf8', timeout: 20_000, input: '', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `sse-console: --redis: cannot reach Redis at redis://127.0.0.1:${closed} (connect ECONNREFUSED 127.0.0.1:${closed}); start one (redis-server --port 6379) or give the URL of a running one to --redis\n`,
    );
    // The flag's own chunk ran; the client itself is read only once a server answers.
    expect(loadedBy(redisLog).some((name) => name.startsWith('open-redis-stores-'))).toBe(true);
    expect(loadedBy(redisLog).filter((name) => redisChunks.includes(name))).toEqual([]);
  });
});
