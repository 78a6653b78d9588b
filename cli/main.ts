#!/usr/bin/env node
// A namespace import: a named import of an export an older Node lacks would fail
// before the version check below could say why.
import * as nodeModule from 'node:module';
import { nodeVersionProblem } from './node-version.js';

// The first thing that runs, and the only static import: on an older Node the
// dependencies would fail with an error that names none of the cause, so check the
// version before loading anything else.
const problem = nodeVersionProblem(process.versions.node);
if (problem === undefined) {
  // Node keeps the compiled code of what is loaded next on disk (in the OS temp
  // folder), so every start after the first skips most of the parsing and compiling.
  (nodeModule as Partial<typeof nodeModule>).enableCompileCache?.();
  await import('./dispatch.js');
} else {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
