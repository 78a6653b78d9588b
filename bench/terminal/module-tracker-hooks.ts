import { appendFileSync } from 'node:fs';
import type { InitializeHook, ResolveHook } from 'node:module';

let logFile: string | undefined;

export const initialize: InitializeHook<{ logFile?: string }> = (data) => {
  logFile = data.logFile;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const result = await nextResolve(specifier, context);
  if (logFile !== undefined && result.url.startsWith('file:')) appendFileSync(logFile, `${result.url}\n`);
  return result;
};
