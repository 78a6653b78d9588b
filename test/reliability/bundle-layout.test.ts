/**
What a start loads decides how fast it starts, and a start that loads what it was not
asked for is slower for nothing: line mode must not load Ink or React, and no start
may load the HTTP client (undici), the certificate generator (selfsigned) or a Redis
client unless its command or option needs it. The bundle's manifest names the chunks
holding each (rolldown.config.ts writes it); a resolve hook preloaded in the binary
logs every file it loads. How the bundle is cut into files is the bundler's business;
the start-up benchmark measures the time.
*/
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnInPty, stripAnsi, terminalEnv } from '../../bench/terminal/pty-process.js';
import { BINARY, PROJECT_ROOT } from './support/build.js';
import { crashSigns, startConsoleProcess } from '../support/console-process.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();
const binDir = dirname(BINARY);
const trackerDir = mkdtempSync(join(tmpdir(), 'sse-console-module-log-'));

afterAll(() => rmSync(trackerDir, { recursive: true, force: true }));

type LazyPackage = 'inkChunks' | 'clientChunks' | 'certificateChunks' | 'redisChunks';

/** The chunks holding each lazily loaded package, as the bundler listed them. */
function manifest(): Record<LazyPackage, string[]> {
  return JSON.parse(readFileSync(join(binDir, 'bundle-manifest.json'), 'utf8')) as Record<LazyPackage, string[]>;
}

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
  const register = join(trackerDir, `register-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return pathToFileURL(register).href;
}

/** The files of dist/bin a run loaded, by name. */
function loadedChunks(logFile: string): string[] {
  return [
    ...new Set(
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((url) => url.startsWith(pathToFileURL(binDir).href)),
    ),
  ].map((url) => url.slice(url.lastIndexOf('/') + 1));
}

/** Which of the lazily loaded packages a run loaded. */
function lazyPackagesIn(loaded: readonly string[]): LazyPackage[] {
  const chunks = manifest();
  return (Object.keys(chunks) as LazyPackage[]).filter((name) => chunks[name].some((chunk) => loaded.includes(chunk)));
}

/** Line mode with `args`, until it answered a command after `listening` (what it loads right after start counts too). */
async function lineModeLoads(name: string, args: readonly string[] = []): Promise<string[]> {
  const logFile = join(trackerDir, `${name}.log`);
  const home = mkdtempSync(join(trackerDir, 'state-'));
  const proc = await startConsoleProcess(args, {
    cleanup,
    nodeArgs: ['--import', moduleTracker(logFile)],
    env: { XDG_STATE_HOME: home },
  });
  proc.type('jobs');
  await proc.waitForRecord('the answer to `jobs`', (record) => record.type === 'output');
  expect(crashSigns(proc)).toEqual([]);
  return loadedChunks(logFile);
}

describe('the bundled binary', () => {
  it('is executable after a build, as npm and `npx sse-console` in a clone run it', () => {
    // The global setup ran the bundler as `npm start` and `npm run build` do (rolldown -c).
    expect((statSync(BINARY).mode & 0o777).toString(8)).toBe('755');
  });

  it('names in its manifest the chunks of every package a start must not load unasked', () => {
    const chunks = manifest();
    // Each listed chunk exists; the bundled packages are found (no Redis client is bundled yet).
    for (const name of Object.values(chunks).flat()) expect(statSync(join(binDir, name)).isFile()).toBe(true);
    expect(chunks.inkChunks.length).toBeGreaterThan(0);
    expect(chunks.clientChunks.length).toBeGreaterThan(0);
    expect(chunks.certificateChunks.length).toBeGreaterThan(0);
  });

  it('line mode loads neither Ink and React, nor the HTTP client, the certificate generator or Redis', async () => {
    const loaded = await lineModeLoads('line-mode');
    expect(lazyPackagesIn(loaded), loaded.join('\n')).toEqual([]);
  });

  it('control: --http2 loads the certificate generator, and only that', async () => {
    const loaded = await lineModeLoads('http2', ['--http2']);
    expect(lazyPackagesIn(loaded), loaded.join('\n')).toEqual(['certificateChunks']);
  });

  it('the TUI loads Ink and React, and to its first frame none of the others', async () => {
    const logFile = join(trackerDir, 'tui.log');
    const home = mkdtempSync(join(trackerDir, 'state-'));
    const pty = spawnInPty(
      [process.execPath, '--import', moduleTracker(logFile), BINARY, '--port', '0', '--sse-port', '0'],
      { rows: 24, cols: 80, env: terminalEnv({ XDG_STATE_HOME: home, LANG: 'C.UTF-8' }), cwd: PROJECT_ROOT },
    );
    cleanup(() => pty.stop());
    // The status line says both servers listen: the start is over.
    await pty.waitFor(
      (output) => /SSE http:\/\/127\.0\.0\.1:\d+\/events\s+pages http:\/\/127\.0\.0\.1:\d+\//.test(stripAnsi(output)),
      15_000,
      'the status line',
    );
    const loaded = loadedChunks(logFile);
    expect(lazyPackagesIn(loaded), loaded.join('\n')).toEqual(['inkChunks']);
  });

  it('runs `connect` with the HTTP client and without the server or the TUI', () => {
    const logFile = join(trackerDir, 'connect.log');
    // Port 9 is on fetch's bad-ports list: connect fails at once, after loading all it needs.
    const run = spawnSync(
      process.execPath,
      ['--import', moduleTracker(logFile), BINARY, 'connect', '--no-reconnect', 'http://127.0.0.1:9/'],
      { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.stdout + run.stderr).toContain('bad ports');
    const loaded = loadedChunks(logFile);
    expect(lazyPackagesIn(loaded), loaded.join('\n')).toEqual(['clientChunks']);
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
