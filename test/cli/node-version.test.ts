import { describe, expect, it } from 'vitest';
import { minimumNodeVersion, nodeVersionProblem } from '../../cli/node-version.js';

describe('nodeVersionProblem', () => {
  it.each(['22.12.0', '22.12.1', '22.23.5', '23.0.0', '24.0.0', '24.22.3', '26.1.0', 'v24.1.0'])(
    'accepts %s',
    (version) => {
      expect(nodeVersionProblem(version)).toBeUndefined();
    },
  );

  it.each(['20.20.2', '18.0.0', '22.11.0', '22.0.0', '21.7.3', 'v20.1.0'])(
    'refuses %s, naming it and what is needed',
    (version) => {
      const problem = nodeVersionProblem(version);
      expect(problem).toContain(`this is Node.js ${version}`);
      expect(problem).toContain(`Node.js ${minimumNodeVersion} or newer`);
      expect(problem).not.toContain('\n');
    },
  );

  it('agrees with package.json engines', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(`>=${minimumNodeVersion.replace(/\.0$/, '')}`);
  });
});
