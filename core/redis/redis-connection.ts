import { SseError } from '../errors/sse-error.js';

/**
The part of a node-redis client the engine uses, with raw RESP2 replies (arrays,
strings, numbers, null), so the engine reads one reply shape whatever the client's
typed helpers do.
*/
export interface RedisConnection {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  sendCommand<T>(args: readonly string[]): Promise<T>;
  multi(): RedisMulti;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  duplicate(): RedisConnection;
  destroy(): void;
  close(): Promise<void>;
}

interface RedisMulti {
  addCommand(args: readonly string[]): RedisMulti;
  exec(): Promise<unknown[]>;
}

/** How long the client waits before reconnecting: doubling from 50 ms up to `maxDelayMs`, with jitter. */
export function reconnectDelay(retries: number, maxDelayMs: number): number {
  const base = Math.min(maxDelayMs, 50 * 2 ** Math.min(retries, 16));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
Opens the process's command connection (node-redis, loaded here and only here, so a
program that never asks for Redis never loads it). Commands fail at once while Redis
is unreachable (no offline queue): a publish is refused rather than held.
*/
export async function openRedisConnection(url: string, maxDelayMs: number): Promise<RedisConnection> {
  let redis: typeof import('redis');
  try {
    redis = await import('redis');
  } catch (error) {
    throw new SseError(
      'ERR_SSE_ARGUMENT',
      "the Redis engine needs the 'redis' package (node-redis): npm install redis",
      { cause: error },
    );
  }
  const client = redis.createClient({
    url,
    RESP: 2,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries: number) => reconnectDelay(retries, maxDelayMs), connectTimeout: 5000 },
  }) as unknown as RedisConnection;
  // Without a listener node-redis's 'error' event would crash the process; the
  // failures themselves reach callers as rejected commands.
  client.on('error', () => undefined);
  return client;
}

/**
The error a caller gets for a command that failed because Redis could not be reached:
`ERR_SSE_STORE_UNAVAILABLE`. An error Redis itself answered (a wrong key type …) is
passed on as it is.
*/
export function unavailable(error: unknown, url: string): Error {
  if (error instanceof SseError) return error;
  if (error instanceof Error && error.constructor.name.endsWith('ErrorReply')) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new SseError(
    'ERR_SSE_STORE_UNAVAILABLE',
    `Redis at ${redactedUrl(url)} is unreachable (${reason}): nothing was stored or sent; send again once it is back`,
    { cause: error },
  );
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
