import { SSE_DEFAULTS } from '../../index.js';
import { connectRedisEngine } from '../../redis/index.js';
import type { ConsoleStores } from './console-store.js';
import { errorMessage } from './error-message.js';
import { redisUrlProblem, shownRedisUrl } from './redis-url.js';

/** Longest the console waits for Redis at start-up before it says so and exits. */
const CONNECT_LIMIT_MS = 5000;

/** The Redis stream of the main stream (`/events`); channel NAME's is `events/NAME`, as their paths. */
const MAIN_REDIS_CHANNEL = 'events';

/**
Asks the TCP port first: the Redis client retries a refused connection for ever, so
an unreachable server would otherwise leave the console waiting with no word.
*/
function probe(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const net = process.getBuiltinModule('node:net');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: port === '' ? 6379 : Number(port) });
    socket.setTimeout(CONNECT_LIMIT_MS, () =>
      socket.destroy(new Error(`no answer within ${CONNECT_LIMIT_MS / 1000} s`)),
    );
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/**
Connects the console's streams to Redis (`--redis URL`): every stream's log, the main
one and each channel's, is a Redis stream shared by every process on that server, so
two consoles (or a console and an application using `sse-console/redis`) serve one
stream. Rejects with an Error saying what is wrong and what to do when the server
cannot be reached.
*/
export async function openRedisStores(
  url: string,
  options: { readonly maxLength?: number } = {},
): Promise<ConsoleStores> {
  const problem = redisUrlProblem(url);
  if (problem !== undefined) throw new Error(problem);
  const shown = shownRedisUrl(url);
  const unreachable = (reason: string): Error =>
    new Error(
      `cannot reach Redis at ${shown} (${reason}); start one (redis-server --port 6379) or give the URL of a running one to --redis`,
    );
  try {
    await probe(url);
  } catch (error) {
    throw unreachable(errorMessage(error));
  }
  let timer: NodeJS.Timeout | undefined;
  const engine = await Promise.race([
    // The console's own default length, not the engine's: a console keeps what it shows.
    connectRedisEngine({ url, maxLength: options.maxLength ?? SSE_DEFAULTS.historyLimit }),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(unreachable(`it took the connection but gave no Redis answer within ${CONNECT_LIMIT_MS / 1000} s`)),
        CONNECT_LIMIT_MS,
      );
    }),
  ])
    .catch((error: unknown) => {
      throw error instanceof Error && error.message.startsWith('cannot reach')
        ? error
        : unreachable(errorMessage(error));
    })
    .finally(() => clearTimeout(timer));
  return {
    kind: 'redis',
    asynchronous: true,
    main: engine.store(MAIN_REDIS_CHANNEL),
    channel: (name) => engine.store(`${MAIN_REDIS_CHANNEL}/${name}`),
    hasSharedChannel: (name) => engine.hasChannel(`${MAIN_REDIS_CHANNEL}/${name}`),
    async sharedChannels(max) {
      // The main stream's own log is `events`; the channels are `events/NAME`. One more
      // than asked for, as the main log may be among them.
      const names = await engine.channels({ max: max + 1 });
      const channelPrefix = `${MAIN_REDIS_CHANNEL}/`;
      return names
        .filter((name) => name.startsWith(channelPrefix))
        .map((name) => name.slice(channelPrefix.length))
        .slice(0, max);
    },
    close: () => engine.close(),
  };
}
