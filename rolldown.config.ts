import { chmodSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type OutputBundle, type Plugin } from 'rolldown';

/**
Packages a start must not load unless asked for, by the key that lists their chunks in
bundle-manifest.json: Ink and React (only the TUI), the HTTP client (only `connect` and
`proxy`), the certificate generator (only --http2) and a Redis client (only with one).
*/
const lazyPackages = {
  inkChunks: /[\\/]node_modules[\\/](ink|react|react-reconciler)[\\/]/,
  clientChunks: /[\\/]node_modules[\\/]undici[\\/]/,
  certificateChunks: /[\\/]node_modules[\\/](selfsigned|@peculiar|pkijs|asn1js)[\\/]/,
  redisChunks: /[\\/]node_modules[\\/](redis|@redis|ioredis)[\\/]/,
};
const packageDir = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/;

/** The folders of the npm packages whose code went into the bundle. */
function bundledPackageDirs(bundle: OutputBundle): string[] {
  const dirs = new Set<string>();
  for (const output of Object.values(bundle)) {
    if (output.type !== 'chunk') continue;
    for (const id of output.moduleIds) {
      const match = packageDir.exec(id);
      if (match?.[1] !== undefined) dirs.add(match[1]);
    }
  }
  return [...dirs].sort();
}

function licenseText(dir: string): string {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  return file === undefined
    ? '(no licence file in the package; see its package.json)'
    : readFileSync(join(dir, file), 'utf8').trim();
}

/**
Two files beside the bundle: THIRD-PARTY-LICENSES.txt, the licence of every package
whose code is inlined (their licences ask for the notice to travel with the code),
and bundle-manifest.json, which names the chunks holding each of `lazyPackages`, so
that the start-up benchmark and test/reliability/bundle-layout.test.ts can tell
whether a run loaded them.
*/
function bundleNotes(): Plugin {
  return {
    name: 'sse-console-bundle-notes',
    generateBundle(_options, bundle) {
      const notices = new Map<string, string>();
      for (const dir of bundledPackageDirs(bundle)) {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name: string;
          version: string;
          license?: string;
        };
        const name = `${pkg.name}@${pkg.version}`;
        notices.set(name, `${name} (${pkg.license ?? 'see below'})\n\n${licenseText(dir)}\n`);
      }
      this.emitFile({
        type: 'asset',
        fileName: 'THIRD-PARTY-LICENSES.txt',
        source: `The sse-console binary inlines code from these packages.\n\n${[...notices.values()].join('\n---\n\n')}`,
      });
      const chunksWith = (pattern: RegExp): string[] =>
        Object.values(bundle)
          .filter((output) => output.type === 'chunk' && output.moduleIds.some((id) => pattern.test(id)))
          .map((output) => output.fileName);
      const manifest = Object.fromEntries(
        Object.entries(lazyPackages).map(([key, pattern]) => [key, chunksWith(pattern)]),
      );
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-manifest.json',
        source: `${JSON.stringify(manifest, null, 2)}\n`,
      });
    },
  };
}

/**
The entry is the `bin` that npm links and a clone runs as `npx sse-console`: it must
stay executable. `cleanDir` writes it afresh as 0644 on every build (`npm start`
too), which made `npx sse-console` fail with "Permission denied" after one.
*/
function executableEntry(): Plugin {
  return {
    name: 'sse-console-executable-entry',
    writeBundle(options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk' && output.isEntry)
          chmodSync(join(options.dir ?? 'dist/bin', output.fileName), 0o755);
      }
    },
  };
}

const builtinPrefix = '\0builtin:';
const requireAtBuild = createRequire(import.meta.url);

/**
Node's built-in modules are taken with `process.getBuiltinModule()` in the bundle,
not `import`. Importing a built-in as ESM makes Node build a facade with every export
read once, which runs lazy getters: for node:http that loads Node's whole fetch
implementation (undici, zlib, tls), about 35 ms of a ~100 ms start. Only data
properties are re-exported, each read only if something imports it, so no getter
runs; importing a name that is an accessor fails the build. (`createRequire()` would
do as well but builds a CommonJS module for each call, ~0.3 ms apiece, a dozen times
in a start.)

Worth its lines: without it line mode's start took 349 ms of CPU instead of 244
(mean of 20 alternating rounds on a shared, loaded 2-core machine; 259 against 181 in
another 12), a third more; the plain ESM reference start (bench/subjects/
minimal-console-start.ts) pays the same facade. The TUI's first frame did not change
(410 against 414 ms): Ink and React take their built-ins through require().

Two other rules were measured the same way and removed (December 2026): escaping the
last non-ASCII characters left by `charset: 'ascii'` (only licence comments in the
HTTP client's chunk, which neither line mode nor the TUI loads), and hand-placed
chunk groups for the console (line mode 244 against 255 ms of CPU, the TUI 414
against 429, wall time within the noise of the start-up benchmark: not worth their
110 lines).
*/
function plainBuiltins(): Plugin {
  return {
    name: 'sse-console-plain-builtins',
    resolveId(source, _importer, extra) {
      if (!source.startsWith('node:') || source === 'node:module') return null;
      // CommonJS code in the bundle (undici, React) already calls require(): keep it so.
      if (extra.kind === 'require-call') return { id: source, external: true };
      return { id: `${builtinPrefix}${source}`, moduleSideEffects: false };
    },
    load(id) {
      if (!id.startsWith(builtinPrefix)) return null;
      const name = id.slice(builtinPrefix.length);
      const exported = requireAtBuild(name) as object;
      const dataNames = Object.entries(Object.getOwnPropertyDescriptors(exported))
        .filter(([key, descriptor]) => 'value' in descriptor && /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default')
        .map(([key]) => key);
      // One pure read per name, so tree-shaking drops the names nothing imports: reading
      // them all would run node:util's lazy getters (TextDecoder and friends load a dozen
      // internal modules).
      return [
        `const builtin = process.getBuiltinModule(${JSON.stringify(name)});`,
        `const pick = (name) => builtin[name];`,
        `export default builtin;`,
        ...dataNames.map((key) => `export const ${key} = /* @__PURE__ */ pick(${JSON.stringify(key)});`),
      ].join('\n');
    },
  };
}

const libraryDir = fileURLToPath(new URL('core/', import.meta.url));
const appDir = fileURLToPath(new URL('core/app/', import.meta.url));

/**
The library's modules do nothing when loaded but define things, so the app, which
imports it through its public entry, gets only what it uses: the console's start does
not load the client (undici) that the entry also exports.
*/
const isLibraryModule = (id: string): boolean => id.startsWith(libraryDir) && !id.startsWith(appDir);

/**
The `sse-console` binary as users run it: one bundle for the entry plus chunks for
what is imported on demand (the TUI with Ink and React, `connect`, line mode), all in
dist/bin/. Bundling spares Node the resolution and loading of some two hundred small
files at start-up. The library entry (dist/core, built by tsc) stays unbundled ESM
with its types.
*/
export default defineConfig({
  input: { 'sse-console': 'cli/main.ts' },
  platform: 'node',
  tsconfig: 'tsconfig.json',
  // Ink loads react-devtools-core only when DEV=true, node-redis @node-rs/xxhash only for
  // its digest helper (inside a try); neither is a dependency.
  external: ['node:module', 'react-devtools-core', '@node-rs/xxhash'],
  transform: {
    target: 'node22.12',
    // React ships a development and a production build and picks one by NODE_ENV
    // when first loaded; the console always runs the production one.
    define: { 'process.env.NODE_ENV': '"production"' },
  },
  treeshake: { moduleSideEffects: (id) => (isLibraryModule(id) ? false : undefined) },
  plugins: [plainBuiltins(), bundleNotes(), executableEntry()],
  output: {
    dir: 'dist/bin',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // No source maps: they would triple what `npx sse-console` downloads.
    sourcemap: false,
    charset: 'ascii',
    // Licence notices stay; JSDoc goes (the library's dist/core keeps it): a sixth of the bytes Node reads at start.
    comments: { legal: true, annotation: false, jsdoc: false },
    cleanDir: true,
  },
});
