/**
The console app imports the library only through its public entries; lint enforces it
(eslint.config.js, `boundary/library-entry-only`). These run ESLint's Node API on small
sources to prove the rule fires, and on the project's config to prove where it applies.
*/
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- eslint.config.js is plain JavaScript outside the TypeScript project.
import { libraryBoundary } from '../../../eslint.config.js';

const projectDir = fileURLToPath(new URL('../../../', import.meta.url));
const ruleName = 'boundary/library-entry-only';

/** ESLint with only the boundary rule on, for every TypeScript file, without type information. */
const ruleOnly = new ESLint({
  cwd: projectDir,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parser: tseslint.parser },
      plugins: { boundary: libraryBoundary },
      rules: { [ruleName]: 'error' },
    },
  ],
});

async function problems(source: string, filePath: string): Promise<string[]> {
  const [result] = await ruleOnly.lintText(source, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

describe('boundary/library-entry-only', () => {
  it.each([
    ["import { encodeEvent } from '../../wire/encode-event.js';", 'core/app/console/x.ts'],
    ["import type { ConnectionInfo } from '../../core/stream/types.js';", 'ui/panes/x.tsx'],
    ["export { createSse } from '../core/stream/create-sse.js';", 'cli/x.ts'],
    ["export * from '../core/stream/create-sse.js';", 'cli/x.ts'],
    ["const stream = await import('../../stream/create-sse.js');", 'core/app/console/x.ts'],
    ["type Stream = typeof import('../../../stream/create-sse.js');", 'core/app/console/commands/x.ts'],
    // Once let through while the app moved to the public entries; now refused like any internal.
    ["import { printable } from '../../http/printable.js';", 'core/app/proxy/x.ts'],
    ["import { parseTarget } from '../../http/request-target.js';", 'core/app/pages/x.ts'],
    ["import { listen } from '../../http/listen.js';", 'core/app/proxy/x.ts'],
    ["import { displayUrl } from '../core/http/request-target.js';", 'cli/x.ts'],
  ])('refuses %s in %s', async (source, filePath) => {
    const found = await problems(source, filePath);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${ruleName}: '(core/[a-z/-]+\\.ts)' is inside the library`));
  });

  it.each([
    ["import { createSse } from '../../index.js';", 'core/app/console/x.ts'],
    ["import type { SseClient } from '../../core/client/index.js';", 'ui/panes/x.tsx'],
    ["const client = await import('../../client/index.js');", 'core/app/console/x.ts'],
    ["import { showLine } from '../../core/terminal/terminal-text.js';", 'ui/panes/x.tsx'],
    ["import { formatBytes } from './format.js';", 'core/app/console/x.ts'],
    ["import { runTui } from '../ui/run-tui.js';", 'cli/x.ts'],
    ["import { parseArgs } from 'node:util';", 'cli/x.ts'],
  ])('allows %s in %s', async (source, filePath) => {
    expect(await problems(source, filePath)).toEqual([]);
  });
});

describe("the project's lint config", () => {
  const project = new ESLint({ cwd: projectDir });
  const ruleLevel = async (filePath: string): Promise<unknown> =>
    ((await project.calculateConfigForFile(filePath)) as Linter.Config).rules?.[ruleName];

  it.each(['core/app/console/format.ts', 'ui/app.tsx', 'cli/connect.ts'])(
    'checks the app file %s',
    async (filePath) => {
      expect(await ruleLevel(filePath)).toEqual([2]);
    },
  );

  it.each(['core/stream/create-sse.ts', 'test/core/app/library-boundary.test.ts', 'bench/run.ts'])(
    'leaves %s free to import internals',
    async (filePath) => {
      expect(await ruleLevel(filePath)).toBeUndefined();
    },
  );
});
