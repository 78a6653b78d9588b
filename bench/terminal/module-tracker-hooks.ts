import { appendFileSync } from 'node:fs';
import type { InitializeHook, ResolveHook } from 'node:module';

let logFile: string | undefined;

export const initialize: InitializeHook<{ logFile?: string }> = (data) => {
  logFile = data.logFile;
};

const watched = /\/node_modules\/(ink|react|react-reconciler)\//;

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const result = await nextResolve(specifier, context);
  if (logFile !== undefined && watched.test(result.url)) appendFileSync(logFile, `${result.url}\n`);
  return result;
};
