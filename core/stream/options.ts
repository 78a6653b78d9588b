import { MAX_RETRY_MS } from '../wire/fields.js';
import { channelNameProblem } from './channel-name.js';
import type { SseOptions } from './types.js';
import { SseArgumentError } from '../errors/sse-error.js';

/** Defaults of `createSse` options. */
export const SSE_DEFAULTS = {
  historyLimit: 1000,
  historyMaxBytes: 64 * 1024 * 1024,
  heartbeatMs: 15_000,
  maxBufferedBytes: 8 * 1024 * 1024,
} as const;

/** Longest interval `setInterval` honours (larger values fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Longest coalescing window: past a second, events would read as late, not batched. */
const MAX_FLUSH_MS = 1000;

/** `SseOptions` checked, with defaults filled in. */
export interface SseSettings {
  readonly historyLimit: number;
  readonly historyMaxBytes: number;
  readonly initialNextId: number;
  readonly heartbeatMs: number;
  readonly maxBufferedBytes: number;
  /** 0: write each tick's sends at the end of the tick; N: gather sends for up to N ms first. */
  readonly flushMs: number;
  readonly retryMs: number | undefined;
  readonly maxConnections: number | undefined;
  readonly token: string | undefined;
  readonly now: () => number;
  readonly channel: string | undefined;
  readonly connectionIds: (() => number) | undefined;
}

function wholeNumber(name: string, value: unknown, min: number, max: number, meaning: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new SseArgumentError(
      name,
      `${name} must be a whole number from ${min} to ${max} (${meaning}): got ${String(value)}`,
    );
  }
  return value;
}

/** Checks every option once, at creation, so a mistake fails early and says the valid form. */
// `onConnect` is only checked to be a function here, whatever its connection state type.
export function readSettings(options: Omit<SseOptions, 'onConnect'> & { readonly onConnect?: unknown }): SseSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SseArgumentError(
      'options',
      `createSse takes an options object such as { historyLimit: 100 }, or nothing: got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  const { corsOrigins, onConnect, persist, now, token, channel, connectionIds } = options;
  if (corsOrigins !== undefined && corsOrigins !== '*') {
    if (!Array.isArray(corsOrigins) || corsOrigins.some((origin) => typeof origin !== 'string')) {
      throw new SseArgumentError(
        'corsOrigins',
        `corsOrigins must be '*' or a list of origins such as ['http://127.0.0.1:8080']`,
      );
    }
  }
  for (const [name, hook] of [
    ['onConnect', onConnect],
    ['persist', persist],
    ['now', now],
    ['connectionIds', connectionIds],
  ] as const) {
    if (hook !== undefined && typeof hook !== 'function') {
      throw new SseArgumentError(name, `${name} must be a function: got ${typeof hook}`);
    }
  }
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    throw new SseArgumentError('token', 'token must be a non-empty string (leave it out to let anyone connect)');
  }
  if (channel !== undefined) {
    const problem = typeof channel === 'string' ? channelNameProblem(channel) : 'channel must be a string';
    if (problem !== undefined) throw new SseArgumentError('channel', problem);
  }
  const max = Number.MAX_SAFE_INTEGER;
  const historyLimit = options.historyLimit ?? SSE_DEFAULTS.historyLimit;
  const historyMaxBytes = options.historyMaxBytes ?? SSE_DEFAULTS.historyMaxBytes;
  const heartbeatMs = options.heartbeatMs ?? SSE_DEFAULTS.heartbeatMs;
  const maxBufferedBytes = options.maxBufferedBytes ?? SSE_DEFAULTS.maxBufferedBytes;
  return {
    historyLimit: wholeNumber('historyLimit', historyLimit, 0, max, 'events kept for replay; 0 keeps none'),
    historyMaxBytes: wholeNumber('historyMaxBytes', historyMaxBytes, 0, max, 'bytes of events kept for replay'),
    initialNextId: wholeNumber('initialNextId', options.initialNextId ?? 1, 1, max, 'the first id to issue'),
    heartbeatMs: wholeNumber(
      'heartbeatMs',
      heartbeatMs,
      0,
      MAX_TIMER_MS,
      'milliseconds between heartbeat comments; 0 turns them off',
    ),
    maxBufferedBytes: wholeNumber(
      'maxBufferedBytes',
      maxBufferedBytes,
      1,
      max,
      'unsent bytes a connection may hold before it is dropped',
    ),
    flushMs: wholeNumber(
      'flushMs',
      options.flushMs ?? 0,
      0,
      MAX_FLUSH_MS,
      'milliseconds sends are gathered before they are written; 0 writes them at the end of each tick',
    ),
    retryMs:
      options.retryMs === undefined
        ? undefined
        : wholeNumber('retryMs', options.retryMs, 0, MAX_RETRY_MS, 'reconnection time sent to clients'),
    maxConnections:
      options.maxConnections === undefined
        ? undefined
        : wholeNumber('maxConnections', options.maxConnections, 1, max, 'live connections; more are answered 503'),
    token,
    now: now ?? Date.now,
    channel,
    connectionIds,
  };
}
