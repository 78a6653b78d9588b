import { register } from 'node:module';

/*
Preloaded with `node --import` to find out which modules a program loads: the
resolve hook (module-tracker-hooks.js) appends every resolved file URL to the file
named by BENCH_MODULE_LOG (the start-up benchmark then looks for Ink and React in it,
unbundled or as the bundle's chunks). Only used for the start-up checks, never for timed runs.
*/
register('./module-tracker-hooks.js', { parentURL: import.meta.url, data: { logFile: process.env.BENCH_MODULE_LOG } });
