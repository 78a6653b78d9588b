#!/usr/bin/env node
import { nodeVersionProblem } from './node-version.js';

// The first thing that runs, and the only static import: on an older Node the
// dependencies would fail with an error that names none of the cause, so check the
// version before loading anything else.
const problem = nodeVersionProblem(process.versions.node);
if (problem === undefined) {
  await import('./dispatch.js');
} else {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
