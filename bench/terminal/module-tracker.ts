import { register } from 'node:module';

/*
Preloaded with `node --import` to find out whether a program loads Ink or React:
the resolve hook (module-tracker-hooks.js) appends every resolved module URL
under node_modules/ink or node_modules/react to the file named by
BENCH_MODULE_LOG. Only used for the start-up checks, never for timed runs.
*/
register('./module-tracker-hooks.js', { parentURL: import.meta.url, data: { logFile: process.env.BENCH_MODULE_LOG } });
