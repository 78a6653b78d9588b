import { SseArgumentError } from '../errors/sse-error.js';
import { memoryStoreWith } from '../history/memory-store.js';
import type { ReplayStore } from '../history/replay-store.js';
import type { SseSettings } from './options.js';
import type { SseOptions } from './types.js';

/** Options that describe the built-in log, and so belong to the store when one is given. */
const STORE_OWNED = ['historyLimit', 'historyMaxBytes', 'initialHistory', 'initialNextId'] as const;

/** Methods every store has (`replace` is optional). */
const STORE_METHODS = ['append', 'readAfter', 'trim', 'clear'] as const;

/**
The stream's replay store: `options.store`, checked, or a memory store made from the
history options. A given store owns its limits and contents, so those options may
not be given beside it; `persist` is the built-in memory store's hook only.
*/
export function storeFromOptions(options: Omit<SseOptions, 'onConnect'>, settings: SseSettings): ReplayStore {
  const { store } = options;
  if (store === undefined) {
    return memoryStoreWith({
      historyLimit: settings.historyLimit,
      historyMaxBytes: settings.historyMaxBytes,
      initialHistory: options.initialHistory ?? [],
      initialNextId: settings.initialNextId,
      now: settings.now,
    });
  }
  const missing = STORE_METHODS.find((name) => typeof (store as Partial<ReplayStore> | null)?.[name] !== 'function');
  if (missing !== undefined) {
    throw new SseArgumentError(
      'store',
      `store must be a ReplayStore { append, readAfter, trim, clear, replace? } (createMemoryStore() makes one): ${missing} is not a function`,
    );
  }
  const owned = STORE_OWNED.find((name) => options[name] !== undefined);
  if (owned !== undefined) {
    throw new SseArgumentError(
      owned,
      `${owned} belongs to the store when a store is given: pass it to createMemoryStore() or openHistoryFileStore() instead`,
    );
  }
  return store;
}
