import { SseArgumentError } from '../errors/sse-error.js';
import { memoryCoreOf, memoryStoreWith } from '../history/memory-store.js';
import type { ReplayStore } from '../history/replay-store.js';
import { SSE_DEFAULTS } from '../stream/options.js';
import type { HistoryFileProblem } from './history-file.js';
import { readHistoryFile } from './history-file-io.js';
import { openHistoryStore } from './history-store.js';

/**
What {@link openHistoryFileStore} takes.

@public
*/
export interface HistoryFileStoreOptions {
  /** Most events kept in memory for replay (the newest of the file). Default 1000. */
  readonly historyLimit?: number;
  /** Most bytes of encoded events kept in memory. Default 64 MiB. */
  readonly historyMaxBytes?: number;
}

/**
A replay store kept in a JSON Lines file, made by {@link openHistoryFileStore}.

@public
*/
export interface HistoryFileStore extends ReplayStore {
  /** The file's real path (symlinks resolved when it was opened). */
  readonly path: string;
  /** Lines of the file that were not valid records when it was opened (skipped), with their line numbers. */
  readonly problems: readonly HistoryFileProblem[];
  /** Whether the file existed when it was opened (a missing one is created empty). */
  readonly existed: boolean;
  /** Valid events the file held when it was opened, the older ones that `historyLimit` left out included. */
  readonly eventsInFile: number;
  /** Flushes the file to disk (fsync) and closes it; later appends throw. Safe to call twice. */
  close(): void;
}

/**
A replay store that survives restarts: the events in memory (as
{@link createMemoryStore}, the newest `historyLimit` of them) and every one written to
a JSON Lines file (`{"id":1,"data":"…","storedAt":…}` per line) before any client is
sent it, with a synchronous write: after `kill -9`, a restart from the file still
holds every event a client may have seen, and issues no id twice. Clear, trim and
replace rewrite the file atomically (temp file, fsync, rename); once the file holds
twice what memory keeps, it is rewritten with what memory holds, so it stays bounded.
A clear, trim or replace whose rewrite fails throws and leaves memory as it was: the
file and memory never disagree.
The console's `--history-file` is this format.

Every method answers synchronously. A missing file is an empty history (created on
the first event); bad lines are skipped and listed in `problems`.

@throws Error when the file cannot be read or opened for appending (the message names it).
@throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) for an option that is not valid.
@example
```ts
const store = openHistoryFileStore('events.jsonl', { historyLimit: 500 });
const sse = createSse({ store });
process.on('SIGTERM', () => store.close());
```
@public
*/
export function openHistoryFileStore(path: string, options: HistoryFileStoreOptions = {}): HistoryFileStore {
  if (typeof path !== 'string' || path === '') {
    throw new SseArgumentError(
      'path',
      `openHistoryFileStore needs a file path: got ${JSON.stringify(path) ?? 'nothing'}`,
    );
  }
  const historyLimit = options.historyLimit ?? SSE_DEFAULTS.historyLimit;
  const historyMaxBytes = options.historyMaxBytes ?? SSE_DEFAULTS.historyMaxBytes;
  const loaded = readHistoryFile(path, { keep: historyLimit });
  const file = openHistoryStore(path, loaded.total);
  /** Rewrites the file with what memory holds (the ids issued are kept in a mark); runs only once `store` exists. */
  const compact = (): void => {
    const core = memoryCoreOf(store);
    if (core !== undefined) file.rewrite(core.log.records(), core.nextId);
  };
  const store = memoryStoreWith(
    { historyLimit, historyMaxBytes, initialHistory: loaded.records, initialNextId: loaded.nextId },
    {
      beforeAppend(record) {
        // Checked before the append, so the file never holds more than twice what memory keeps.
        if (file.lines >= 2 * historyLimit || file.bytes >= 2 * historyMaxBytes) {
          try {
            compact();
          } catch {
            // Compaction is housekeeping: the event is still appended to the file below.
          }
        }
        file.append(record);
      },
      beforeChange: (records, nextId) => file.rewrite(records, nextId),
    },
  );
  return Object.assign(store, {
    path: file.path,
    problems: Object.freeze([...loaded.problems]),
    existed: loaded.existed,
    eventsInFile: loaded.total,
    close: () => file.close(),
  });
}
