/** `--redis URL`: checked when the arguments are read, before anything loads the Redis client. */

/** What `--redis URL` is: a redis:// or rediss:// URL with a host; the reason it is not, else undefined. */
export function redisUrlProblem(url: string): string | undefined {
  const valid =
    'a Redis URL like redis://127.0.0.1:6379 (redis:// or rediss:// for TLS; a host and an optional port; a password as redis://:PASSWORD@HOST)';
  if (!url.includes('://')) return `--redis takes ${valid}; "${url}" has no scheme: write redis://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--redis takes ${valid}, got "${url}"`;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return `--redis takes ${valid}; "${url}" is a ${parsed.protocol}// URL`;
  }
  if (parsed.hostname === '') return `--redis takes ${valid}; "${url}" names no host`;
  return undefined;
}

/** The URL without its password, for messages. */
export function shownRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.href;
}
