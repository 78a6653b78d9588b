/**
What `npm install sse-console` gives a library user: the library's code and types,
the bundled binary, and no console app beside them. The console (core/app, ui, cli)
is inlined in dist/bin, so neither its modules nor its own dependencies (selfsigned
for --http2's certificate) belong in the package's file list or its dependencies.
*/
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/build.js';

interface PackedFile {
  readonly path: string;
  readonly size: number;
}

interface Manifest {
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;
const scratch = mkdtempSync(join(tmpdir(), 'sse-console-package-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(`${command} ${args.join(' ')} failed: ${stderr}`, { cause: error }));
      },
    );
  });
}

/** The tarball's file list, as `npm pack` would write it (scripts off: dist/ is already built). */
async function packedFiles(): Promise<PackedFile[]> {
  const output = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
  const [report] = JSON.parse(output) as Array<{ readonly files: PackedFile[] }>;
  if (report === undefined) throw new Error(`npm pack --json printed no report: ${output.slice(0, 500)}`);
  return report.files;
}

/** Package names a bundled file imports or requires (bare specifiers, not node: built-ins or relative paths). */
function bareImports(code: string): string[] {
  const names = new Set<string>();
  // The bundler writes static imports at the start of a line, and calls with one string literal.
  const specifiers = [
    ...code.matchAll(/^import\b[^;\n]*?["']([^"']+)["'];?$/gm),
    ...code.matchAll(/\b(?:import|require)\(["']([^"']+)["']\)/g),
  ];
  for (const match of specifiers) {
    const name = match[1] ?? '';
    if (name.startsWith('.') || name.startsWith('/')) continue;
    if (name.startsWith('node:') || builtinModules.includes(name)) continue;
    names.add(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : (name.split('/')[0] ?? name));
  }
  return [...names];
}

describe('the packed package', () => {
  it('holds the library, its types and the bundled binary, and no console app code', async () => {
    const paths = (await packedFiles()).map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/core/index.js',
        'dist/core/index.d.ts',
        'dist/core/stream/create-sse.js',
        'dist/bin/sse-console.js',
        'demo-pages/index.html',
      ]),
    );
    const consoleFiles = paths.filter(
      (path) => /^dist\/core\/(?:.*\/)?app\//.test(path) || /^dist\/(?:ui|cli|bench|test)\//.test(path),
    );
    expect(consoleFiles).toEqual([]);
    // Source maps point at TypeScript sources the package does not carry.
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it('installs no console-only dependency: selfsigned is a dev dependency, inlined in the binary', () => {
    expect(Object.keys(manifest.dependencies)).not.toContain('selfsigned');
    expect(Object.keys(manifest.devDependencies)).toContain('selfsigned');
    const binDir = join(PROJECT_ROOT, 'dist', 'bin');
    const imported = readdirSync(binDir)
      .filter((name) => name.endsWith('.js'))
      .flatMap((name) => bareImports(readFileSync(join(binDir, name), 'utf8')).map((pkg) => `${name}: ${pkg}`));
    // Every package the bundle still loads at run time must be installed with it.
    // (Ink loads react-devtools-core only with DEV=true; node-redis loads @node-rs/xxhash
    // only for its digest helper, inside a try; neither is ever installed.)
    const optional = new Set(['react-devtools-core', '@node-rs/xxhash']);
    const missing = imported.filter((entry) => {
      const pkg = entry.slice(entry.indexOf(': ') + 2);
      return !optional.has(pkg) && manifest.dependencies[pkg] === undefined;
    });
    expect(missing).toEqual([]);
  });

  it('loads no console module when a program imports the library entry', async () => {
    const logFile = join(scratch, 'resolved.log');
    const hooks = join(scratch, 'hooks.mjs');
    writeFileSync(
      hooks,
      [
        "import { appendFileSync } from 'node:fs';",
        'export async function resolve(specifier, context, nextResolve) {',
        '  const result = await nextResolve(specifier, context);',
        `  appendFileSync(${JSON.stringify(logFile)}, result.url + '\\n');`,
        '  return result;',
        '}',
      ].join('\n'),
    );
    const register = join(scratch, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const entry = pathToFileURL(join(PROJECT_ROOT, 'dist', 'core', 'index.js')).href;
    // Use what the entry exports, as a program would: a stream served and stopped.
    const program = [
      `const lib = await import(${JSON.stringify(entry)});`,
      'const sse = lib.createSse();',
      'const server = await lib.startSseServer(0, sse);',
      'await server.stop(); sse.stop();',
      "console.log(Object.keys(lib).includes('createSse') ? 'ok' : 'no createSse');",
    ].join('\n');
    const output = await run(process.execPath, [
      '--import',
      pathToFileURL(register).href,
      '--input-type=module',
      '-e',
      program,
    ]);
    expect(output.trim()).toBe('ok');
    const loaded = [
      ...new Set(
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((url) => url !== ''),
      ),
    ];
    expect(loaded).toContain(entry);
    const distUrl = pathToFileURL(join(PROJECT_ROOT, 'dist')).href;
    const consoleModules = loaded.filter(
      (url) =>
        url.startsWith(`${distUrl}/core/app/`) ||
        /^(?:ui|cli|bin|bench)\//.test(url.slice(distUrl.length + 1)) ||
        /\/node_modules\/(?:ink|react|selfsigned|@peculiar|pkijs|redis|@redis)\//.test(url),
    );
    expect(consoleModules).toEqual([]);
  });
});
