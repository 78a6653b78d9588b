/** The oldest Node.js the package runs on (Ink 8 and eventsource-parser 4 need it). */
export const minimumNodeVersion = '22.12.0';

function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

/**
Undefined when `version` (as in `process.versions.node`) is new enough, otherwise the
one line to print: what was found, what is needed, and how to get it.
*/
export function nodeVersionProblem(version: string, minimum: string = minimumNodeVersion): string | undefined {
  const found = parts(version);
  const needed = parts(minimum);
  for (let index = 0; index < 3; index += 1) {
    const difference = (found[index] ?? 0) - (needed[index] ?? 0);
    if (difference > 0) return undefined;
    if (difference < 0) {
      return `sse-console needs Node.js ${minimum} or newer, and this is Node.js ${version}. Install Node.js 22 or 24 (the current LTS releases) and run it again.`;
    }
  }
  return undefined;
}
