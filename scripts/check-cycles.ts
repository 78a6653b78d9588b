import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/*
Fails when the app's modules import each other in a loop. A module met again while
it is still being evaluated is seen half-built: its `const`s unset, its lists empty.
Only imports that load code at start count: `import type`, `export type` and imports
whose every name is `type` are erased by TypeScript, and `import()` loads later, so
neither can meet a half-evaluated module. Run by `npm run lint`; `--all` also counts
type-only imports, to report them; `--root DIR` checks another tree (the tests' fixtures).
*/

const ROOTS = ['cli', 'ui', 'core'];
const rootAt = process.argv.indexOf('--root');
const root = resolve(rootAt < 0 ? join(import.meta.dirname, '..') : (process.argv[rootAt + 1] ?? '.'));
const withTypes = process.argv.includes('--all');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names: `./x.js` is `./x.ts` or `./x.tsx` in the sources. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((path) => existsSync(path));
}

function loadsAtStart(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (withTypes) return true;
  if (ts.isExportDeclaration(statement)) {
    if (statement.isTypeOnly) return false;
    const clause = statement.exportClause;
    return !(
      clause !== undefined &&
      ts.isNamedExports(clause) &&
      clause.elements.length > 0 &&
      clause.elements.every((e) => e.isTypeOnly)
    );
  }
  const clause = statement.importClause;
  if (clause === undefined) return true; // import './side-effect.js'
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return false;
  if (clause.name !== undefined) return true;
  const bindings = clause.namedBindings;
  if (bindings === undefined || ts.isNamespaceImport(bindings)) return true;
  return !(bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const targets: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !loadsAtStart(statement)) continue;
    const target = resolveSpecifier(file, specifier.text);
    if (target !== undefined) targets.push(target);
  }
  return targets;
}

/** Tarjan's strongly connected components: each with more than one file is a cycle. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const graph = new Map<string, string[]>();
const dirs = ROOTS.map((dir) => join(root, dir)).filter((dir) => existsSync(dir));
for (const file of dirs.flatMap(sourceFiles)) graph.set(file, importsOf(file));
const found = cycles(graph);
const kind = withTypes ? 'type-only imports included' : 'run-time imports';
if (found.length === 0) {
  console.log(`check-cycles: no import cycle among ${graph.size} files (${kind})`);
} else {
  for (const component of found) {
    console.error(`import cycle of ${component.length} files (${kind}):`);
    for (const file of component.sort()) console.error(`  ${relative(root, file)}`);
  }
  process.exitCode = 1;
}
