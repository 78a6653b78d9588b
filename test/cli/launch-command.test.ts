import { describe, expect, it } from 'vitest';
import { launchCommand } from '../../cli/launch-command.js';

// The command a page offers to copy (`… --http2 --open limits`) starts the console the way this one was started.

describe('launchCommand', () => {
  it('says npx sse-console under npx and sse-console from PATH', () => {
    const npx = { npm_lifecycle_event: 'npx', npm_package_name: 'sse-console' };
    expect(launchCommand({ script: '/home/u/.npm/_npx/1f/node_modules/.bin/sse-console', cwd: '/w', env: npx })).toBe(
      'npx sse-console',
    );
    expect(launchCommand({ script: '/usr/local/bin/sse-console', cwd: '/w', env: {} })).toBe('sse-console');
  });

  it('says npm start -- in a clone started with npm start', () => {
    const start = { npm_lifecycle_event: 'start', npm_package_name: 'sse-console' };
    expect(launchCommand({ script: '/src/sse/dist/bin/sse-console.js', cwd: '/src/sse', env: start })).toBe(
      'npm start --',
    );
  });

  it('names the script through node otherwise, relative to the working directory when inside it', () => {
    // Under another npm script (a test runner started with npx) the binary is still run by path.
    const other = { npm_lifecycle_event: 'npx', npm_package_name: 'vitest' };
    expect(launchCommand({ script: '/src/sse/dist/bin/sse-console.js', cwd: '/src/sse', env: other })).toBe(
      'node dist/bin/sse-console.js',
    );
    expect(launchCommand({ script: '/opt/sse/dist/bin/sse-console.js', cwd: '/home/u', env: {} })).toBe(
      'node /opt/sse/dist/bin/sse-console.js',
    );
    expect(launchCommand({ script: "/opt/it's here/sse-console.js", cwd: '/home/u', env: {} })).toBe(
      "node '/opt/it'\\''s here/sse-console.js'",
    );
  });
});
