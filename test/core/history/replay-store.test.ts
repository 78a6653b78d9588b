import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore, createSse, openHistoryFileStore, type HistoryFileStore } from '../../../core/index.js';
import { describeReplayStore } from '../../../core/testing.js';

const dir = mkdtempSync(join(tmpdir(), 'sse-replay-store-'));
const opened: HistoryFileStore[] = [];
let files = 0;
afterAll(() => {
  for (const store of opened) store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A history file store on a new file of its own. */
function fileStore(path = join(dir, `history-${++files}.jsonl`), historyLimit?: number): HistoryFileStore {
  const store = openHistoryFileStore(path, historyLimit === undefined ? {} : { historyLimit });
  opened.push(store);
  return store;
}

describeReplayStore('the shared store suite: createMemoryStore', () => createMemoryStore(), { describe, it });
describeReplayStore('the shared store suite: openHistoryFileStore', () => fileStore(), { describe, it });

describe('openHistoryFileStore', () => {
  it('writes every event before it is sent, and a store reopened on the file resumes and issues no id twice', () => {
    const path = join(dir, 'restart.jsonl');
    const first = fileStore(path);
    const sse = createSse({ store: first, heartbeatMs: 0 });
    sse.sendNewEvent({ data: 'a', id: true });
    sse.sendNewEvent({ data: 'b', id: 'order-7' });
    sse.sendNewEvent({ data: 'c', id: true });
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    sse.clearHistory();
    first.close();

    const second = fileStore(path);
    expect(second.readAfter(undefined)).toEqual({ events: [] });
    expect(second.readAfter('1')).toEqual({ events: [], reset: { reason: 'trimmed', oldestId: null } });
    const restarted = createSse({ store: second, heartbeatMs: 0 });
    expect(restarted.sendNewEvent({ data: 'd', id: true }).id).toBe(3);
  });

  it('rewrites the file when trimmed, so the file and memory never disagree', async () => {
    const path = join(dir, 'trim.jsonl');
    const store = fileStore(path);
    for (const data of ['a', 'b', 'c']) await store.append({ id: undefined, data, storedAt: 0 });
    await store.trim(1);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual({ id: 3, data: 'c', storedAt: 0 });
    const reopened = await fileStore(path).readAfter(undefined);
    expect(reopened.events.map((record) => record.id)).toEqual([3]);
  });
});
