import type { HistoryFileStore, HistoryRecord, ReplayStore } from '../../index.js';

/** Where the console's streams keep their replay logs, as the status line names it. */
type ConsoleStoreKind = 'memory' | 'file' | 'redis';

/**
The replay stores behind the console's streams: the main stream's (`/events`) and each
channel's (`/events/NAME`). With `--history-file` the main stream's is the history
file; with `--redis` every stream's lives in Redis and answers asynchronously, so
stored sends go through `sse.publish` and the log is read from the store.
*/
export interface ConsoleStores {
  readonly kind: ConsoleStoreKind;
  /** True when the stores answer with Promises (stored sends then use `publish`). */
  readonly asynchronous: boolean;
  /** The main stream's store. */
  readonly main: ReplayStore;
  /** The `--history-file` store, when `kind` is `file`. */
  readonly file?: HistoryFileStore;
  /** A channel's store, made on the first ask and the same one after. */
  channel(name: string): ReplayStore;
  /**
  With a shared store (`--redis`): the channels whose log exists there, whichever
  process opened them, sorted, at most `max` names. Undefined when the logs are this
  process's own.
  */
  sharedChannels?(max: number): Promise<readonly string[]>;
  /** With a shared store: true when channel `name`'s log exists there. */
  hasSharedChannel?(name: string): Promise<boolean>;
  /** Releases what the stores hold (the file, the Redis connections). Safe to call twice. */
  close(): Promise<void>;
}

/** Every event `store` holds, oldest first (what `history` lists). */
export async function heldEvents(store: ReplayStore): Promise<readonly HistoryRecord[]> {
  return (await store.readAfter(undefined)).events;
}
