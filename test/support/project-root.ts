import { fileURLToPath } from 'node:url';

/** The repository root (where package.json and dist/ live). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The built binary that every end-to-end test drives. */
export const binaryPath = fileURLToPath(new URL('../../dist/bin/sse-console.js', import.meta.url));
