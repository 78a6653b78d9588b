import { createMemoryStore, openHistoryFileStore, type ReplayStore } from '../../index.js';
import type { ConsoleStores } from './console-store.js';

export interface ConsoleStoreOptions {
  readonly historyLimit: number;
  readonly historyMaxBytes: number;
  /** JSON Lines file for the main stream's log (`--history-file`); channels stay in memory. */
  readonly historyFile?: string;
}

/** A store per channel, made on first ask and the same one after. */
function perChannel(make: (name: string) => ReplayStore): (name: string) => ReplayStore {
  const made = new Map<string, ReplayStore>();
  return (name) => {
    let store = made.get(name);
    if (store === undefined) {
      store = make(name);
      made.set(name, store);
    }
    return store;
  };
}

/**
The console's stores without Redis: every log in memory, or the main one in the
`--history-file` (opened here: a missing file is created, bad lines are listed in its
`problems`). Throws when the file cannot be read or opened.
*/
export function openConsoleStores(options: ConsoleStoreOptions): ConsoleStores {
  const limits = { historyLimit: options.historyLimit, historyMaxBytes: options.historyMaxBytes };
  const channel = perChannel(() => createMemoryStore(limits));
  if (options.historyFile === undefined) {
    return {
      kind: 'memory',
      asynchronous: false,
      main: createMemoryStore(limits),
      channel,
      close: () => Promise.resolve(),
    };
  }
  const file = openHistoryFileStore(options.historyFile, limits);
  return {
    kind: 'file',
    asynchronous: false,
    main: file,
    file,
    channel,
    close() {
      file.close();
      return Promise.resolve();
    },
  };
}
