import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/project-root.js';

/*
The `redis` package is an optional peer dependency: a program that imports the
library, or even the Redis entry without connecting, must not load it (start-up and
size stay as they are without Redis).
*/

const program = (main: string, redisEntry: string): string =>
  [
    "import { registerHooks } from 'node:module';",
    'const seen = [];',
    'registerHooks({ resolve(specifier, context, next) {',
    '  let result;',
    '  try { result = next(specifier, context); } catch (error) {',
    "    if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;",
    "    result = next(specifier.slice(0, -3) + '.ts', context);",
    '  }',
    '  seen.push(result.url);',
    '  return result;',
    '} });',
    'const redisLoaded = () => seen.some((url) => /\\/node_modules\\/(?:redis|@redis)\\//.test(url));',
    `const lib = await import(${JSON.stringify(main)});`,
    'const sse = lib.createSse(); sse.sendNewEvent({ data: "x", id: true }); sse.stop();',
    'const afterMain = redisLoaded();',
    `const entry = await import(${JSON.stringify(redisEntry)});`,
    'console.log(JSON.stringify({ afterMain, afterRedisEntry: redisLoaded(), exported: typeof entry.connectRedisEngine }));',
  ].join('\n');

describe('loading', () => {
  it('neither sse-console nor sse-console/redis loads the redis package until an engine connects', async () => {
    const main = pathToFileURL(join(projectRoot, 'core/index.ts')).href;
    const redisEntry = pathToFileURL(join(projectRoot, 'core/redis/index.ts')).href;
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', program(main, redisEntry)],
        { cwd: projectRoot, timeout: 60_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    expect(JSON.parse(output)).toEqual({ afterMain: false, afterRedisEntry: false, exported: 'function' });
  }, 90_000);
});
