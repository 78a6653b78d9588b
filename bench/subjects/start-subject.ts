import type { Subject, SubjectOptions } from './subject.js';

export const subjectNames = [
  'floor',
  'ceiling',
  'sse-console',
  'sse-console-flush5',
  'sse-console-h2',
  'sse-console-redis',
  'redis-floor',
  'sse-channel',
  'better-sse',
] as const;
export type SubjectName = (typeof subjectNames)[number];

export function isSubjectName(name: string): name is SubjectName {
  return (subjectNames as readonly string[]).includes(name);
}

/** Imports only the named subject, so a subject process loads no other library (fair memory baselines). */
export async function startSubject(name: SubjectName, options: SubjectOptions): Promise<Subject> {
  switch (name) {
    case 'floor':
      return (await import('./floor.js')).startFloor();
    case 'ceiling':
      return (await import('./ceiling.js')).startCeiling();
    case 'sse-console':
      return (await import('./sse-console.js')).startSseConsole(options);
    case 'sse-console-flush5':
      // The opt-in coalescing window: a different configuration from the floor's, reported beside it.
      return (await import('./sse-console.js')).startSseConsole({ ...options, flushMs: 5 });
    case 'sse-console-h2':
      return (await import('./sse-console-h2.js')).startSseConsoleH2(options);
    case 'sse-console-redis':
      return (await import('./sse-console-redis.js')).startSseConsoleRedis(options);
    case 'redis-floor':
      return (await import('./redis-floor.js')).startRedisFloor(options);
    case 'sse-channel':
      return (await import('./sse-channel.js')).startSseChannel();
    case 'better-sse':
      return (await import('./better-sse.js')).startBetterSse();
  }
}
