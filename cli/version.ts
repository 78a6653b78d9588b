import { readFileSync } from 'node:fs';

/** The package version, read from package.json beside the built or source tree. */
export function packageVersion(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const text = readFileSync(new URL(relative, import.meta.url), 'utf8');
      const parsed = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (parsed.name === 'sse-console' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // Not at this depth (source vs built layout); try the next.
    }
  }
  return 'unknown';
}
