import { describe, expect, it } from 'vitest';
import { openBrowser } from '../../cli/open-browser.js';

// Real child processes stand in for the opener: `true` and `false` exit at once,
// `sleep` keeps running as xdg-open does while it waits for some browsers.

describe('openBrowser', () => {
  it('resolves when the opener exits with 0', async () => {
    await expect(openBrowser('http://127.0.0.1:1/', { command: ['true'] })).resolves.toBeUndefined();
  });

  it('rejects with the exit code when the opener fails (xdg-open exits 3 without a browser)', async () => {
    await expect(openBrowser('http://127.0.0.1:1/', { command: ['sh', '-c', 'exit 3', 'xdg-open'] })).rejects.toThrow(
      /^sh exited with 3$/,
    );
    await expect(openBrowser('http://127.0.0.1:1/', { command: ['false'] })).rejects.toThrow('false exited with 1');
  });

  it('rejects when there is no opener at all', async () => {
    await expect(openBrowser('http://127.0.0.1:1/', { command: ['sse-console-no-such-opener'] })).rejects.toThrow(
      /ENOENT/,
    );
  });

  it('resolves when the opener is still running (it waits for the browser it started)', async () => {
    await expect(
      openBrowser('http://127.0.0.1:1/', { command: ['sh', '-c', 'sleep 2', 'opener'], settleMs: 100 }),
    ).resolves.toBeUndefined();
  });
});
