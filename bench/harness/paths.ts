import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/bench, where the compiled bench scripts live. */
const benchDist = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const projectRoot = resolve(benchDist, '..', '..');

export const subjectServerScript = join(benchDist, 'subjects', 'server.js');
/** `sse-console proxy`'s engine in its own process (the proxy benchmark). */
export const proxyProcessScript = join(benchDist, 'subjects', 'proxy-process.js');
/** A byte relay (no HTTP): the floor the proxy benchmark compares the proxy with. */
export const relayProcessScript = join(benchDist, 'subjects', 'relay-process.js');
export const streamClientScript = join(benchDist, 'load', 'stream-client.js');
export const minimalInkScript = join(benchDist, 'subjects', 'minimal-ink.js');
/** ESM, parseArgs, two node:http listeners, one JSON line: the reference for line mode's start. */
export const minimalConsoleStartScript = join(benchDist, 'subjects', 'minimal-console-start.js');
export const moduleTrackerScript = join(benchDist, 'terminal', 'module-tracker.js');
/** The bundled binary, as users run it. */
export const cliMainScript = join(projectRoot, 'dist', 'bin', 'sse-console.js');
/** Names the bundle's chunks that hold Ink or React (written by the bundler). */
export const bundleManifest = join(projectRoot, 'dist', 'bin', 'bundle-manifest.json');
