import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node (npm test); `e2e` drives the
// built binary, Debian chromium and tmux (npm run test:e2e).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/{core,ui,cli,reliability,docs}/**/*.test.{ts,tsx}'],
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
