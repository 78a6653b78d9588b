import { defineConfig } from 'vitest/config';

/** Reliability tests that need nothing built: they stay with the unit tests. */
const inProcessReliability = ['test/reliability/hostile-commands.test.ts', 'test/reliability/import-cycles.test.ts'];

// Three projects. `unit` needs nothing but Node; `binary` runs the built binary in
// child processes, built once by its global setup (both: npm test). `e2e` drives the
// built binary, Debian chromium and tmux (npm run test:e2e, which builds first).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/{core,ui,cli,docs}/**/*.test.{ts,tsx}', ...inProcessReliability],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'binary',
          include: ['test/reliability/**/*.test.{ts,tsx}'],
          exclude: inProcessReliability,
          globalSetup: ['test/reliability/support/build-once.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
