import { chmodSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

/**
Every chunk in plain ASCII. V8 keeps a source with any other character as a two-byte
string, which makes Node's reading and code-cache check of the console's ~250 KB chunk
about 5 ms slower (a third of its load time). `charset: 'ascii'` escapes the code;
this escapes what it leaves, comment text such as a licence notice's author name (the
notice itself is in THIRD-PARTY-LICENSES.txt). A \u escape means the same character
in a string, template, regular expression or identifier.
*/
function asciiOnly(): Plugin {
  return {
    name: 'sse-console-ascii-only',
    renderChunk(code) {
      return code.replace(/[^\u0000-\u007f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
    },
  };
}

/** A module's id, as the group tests below receive it, for a source path in this project. */
const projectModule = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

type ChunkGroupName = 'start' | 'console' | 'common';

const libraryEntry = projectModule('core/index.ts');
const clientEntry = projectModule('core/client/index.ts');
const publicEntries = new Set([libraryEntry, clientEntry]);
const libraryDir = projectModule('core/');
const appDir = projectModule('core/app/');

/**
The library's modules do nothing when loaded but define things, so the app, which
imports it through its public entry, gets only what it uses: the console's start does
not load the client (undici) that the entry also exports.
*/
const isLibraryModule = (id: string): boolean => id.startsWith(libraryDir) && !id.startsWith(appDir);

/**
Which chunk each of the CLI's own modules goes to, so that a start loads few files.
Left to itself the bundler cuts the code into a chunk per set of entries sharing it
(the TUI, `proxy`, `connect` and the console share most modules), some fifty files,
and Node's ESM loader resolves, reads and links each one: one chunk for what line
mode needs halves the time it takes to load (about 9 ms of a ~75 ms start).

- start: what dispatch loads for every command (argument parsing, the page names).
- common: what the console shares with `connect`, so that `connect` loads no server.
- console: everything else `cli/run-console.ts` reaches by static imports (the
  servers, the controller, the command table, line mode); the TUI and `proxy`, which
  run a console too, import it from this chunk.

The sets are found at the end of the build from the static import graph. No cycle
between chunks can form: each chunk's imports lead only into the chunks listed above
it or into chunks that need none of them.
*/
function cliChunkGroups(): { plugin: Plugin; groupOf: (id: string) => ChunkGroupName | undefined } {
  const groups = new Map<string, ChunkGroupName>();
  const plugin: Plugin = {
    name: 'sse-console-cli-chunks',
    buildEnd() {
      const codeOf = (id: string): string => this.getModuleInfo(id)?.code ?? '';
      const resolveFrom = (importer: string, specifier: string): string =>
        join(dirname(importer), specifier).replace(/\.js$/, '.ts');
      // What each public entry re-exports: name → the module that defines it.
      const entryNames = new Map<string, Map<string, string>>();
      for (const entry of publicEntries) {
        const names = new Map<string, string>();
        for (const [, list = '', from = ''] of codeOf(entry).matchAll(
          /export\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g,
        )) {
          for (const name of list.split(',').map(
            (part) =>
              part
                .trim()
                .split(/\s+as\s+/)
                .pop() ?? '',
          ))
            if (name !== '') names.set(name, resolveFrom(entry, from));
        }
        entryNames.set(entry, names);
      }
      /** The modules defining the names `importer` takes from `entry` (all of them for a namespace import). */
      const throughEntry = (importer: string, entry: string): string[] => {
        const names = entryNames.get(entry) ?? new Map<string, string>();
        const taken = new Set<string>();
        for (const [, bindings = '', from = ''] of codeOf(importer).matchAll(
          /import\s*([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g,
        )) {
          // Types are erased: only values bind to modules.
          if (resolveFrom(importer, from) !== entry || bindings.startsWith('type ')) continue;
          const named = /\{([^}]*)\}/.exec(bindings);
          if (named === null) return [...new Set(names.values())];
          for (const part of (named[1] ?? '').split(',')) {
            if (part.trim().startsWith('type ')) continue;
            const name = part.trim().split(/\s+as\s+/)[0] ?? '';
            const source = names.get(name);
            if (source !== undefined) taken.add(source);
          }
        }
        return [...taken].flatMap((source) => (publicEntries.has(source) ? throughEntry(entry, source) : [source]));
      };
      /**
      The modules `paths` load. An import through a public entry, which only re-exports,
      leads to the modules defining the names imported, as the bundle binds them: one
      name from the library entry does not bring the whole library into a chunk.
      */
      const reach = (...paths: string[]): Set<string> => {
        const seen = new Set<string>();
        const stack = paths.map(projectModule);
        for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
          if (seen.has(id)) continue;
          const info = this.getModuleInfo(id);
          if (info === null) this.error(`${id} is not in the build: were cli/ files renamed?`);
          seen.add(id);
          for (const imported of info.importedIds) {
            if (publicEntries.has(imported)) stack.push(...throughEntry(id, imported));
            else stack.push(imported);
          }
        }
        return seen;
      };
      const main = reach('cli/main.ts');
      const start = reach('cli/dispatch.ts', 'core/app/pages/page-list.ts');
      const connect = reach('cli/connect.ts');
      for (const id of reach('cli/run-console.ts')) {
        // The public entries only re-export: the app's imports through them bind to the
        // modules that define each name, and a namespace import (repl-mode) gets its own chunk.
        if (main.has(id) || start.has(id) || id === libraryEntry || id === clientEntry) continue;
        groups.set(id, connect.has(id) ? 'common' : 'console');
      }
      for (const id of start) if (!main.has(id)) groups.set(id, 'start');
    },
  };
  return { plugin, groupOf: (id) => groups.get(id) };
}

const cliChunks = cliChunkGroups();

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
  // Ink loads react-devtools-core only when DEV=true; it is not a dependency.
  external: ['node:module', 'react-devtools-core'],
  // The entry's exports are its own business (it has none); the console group needs this.
  preserveEntrySignatures: 'allow-extension',
  transform: {
    target: 'node22.12',
    // React ships a development and a production build and picks one by NODE_ENV
    // when first loaded; the console always runs the production one.
    define: { 'process.env.NODE_ENV': '"production"' },
  },
  treeshake: { moduleSideEffects: (id) => (isLibraryModule(id) ? false : undefined) },
  plugins: [plainBuiltins(), bundleNotes(), cliChunks.plugin, asciiOnly(), executableEntry()],
  output: {
    dir: 'dist/bin',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    codeSplitting: {
      // A module's dependencies outside its group are in the groups above it or in chunks of their own.
      includeDependenciesRecursively: false,
      groups: (['start', 'common', 'console'] as const).map((name) => ({
        name,
        test: (id: string) => cliChunks.groupOf(id) === name,
      })),
    },
    // No source maps: they would triple what `npx sse-console` downloads.
    sourcemap: false,
    charset: 'ascii',
    // Licence notices stay; JSDoc goes (the library's dist/core keeps it): a sixth of the bytes Node reads at start.
    comments: { legal: true, annotation: false, jsdoc: false },
    cleanDir: true,
  },
});
