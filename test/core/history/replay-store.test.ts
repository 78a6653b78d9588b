import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

describe('createMemoryStore', () => {
  it('pages through repeated ids without skipping: a page never ends on an id held again later', async () => {
    const store = createMemoryStore();
    const ids = ['r', 's', 'r', 't', 'r'];
    for (const [index, id] of ids.entries()) await store.append({ id, data: `${id}${index}`, storedAt: 0 });
    const expected = store.readAfter(undefined);
    if ('then' in expected) throw new Error('the memory store answers at once');
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let read = await store.readAfter(undefined, limit);
      for (;;) {
        expect(read.reset).toBeUndefined();
        seen.push(...read.events.map((record) => record.data));
        if (read.next === undefined) break;
        read = await store.readAfter(read.next, limit);
      }
      expect(seen).toEqual(expected.events.map((record) => record.data));
    }
  });

  it('answers a page cursor whose events were trimmed meanwhile with a trimmed reset and what it holds', async () => {
    const store = createMemoryStore();
    for (const id of ['r', 's', 'r', 't']) await store.append({ id, data: id, storedAt: 0 });
    const first = await store.readAfter(undefined, 1);
    expect(first.next).toBeDefined();
    await store.trim(1);
    const rest = await store.readAfter(first.next, 1);
    expect(rest).toEqual({
      events: [expect.objectContaining({ id: 't' })],
      reset: { reason: 'trimmed', oldestId: 't' },
    });
  });
});

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

  it('tells whether the file existed and how many events it held, the ones past historyLimit included', async () => {
    const path = join(dir, 'opened.jsonl');
    const fresh = fileStore(path, 2);
    expect({ existed: fresh.existed, eventsInFile: fresh.eventsInFile }).toEqual({ existed: false, eventsInFile: 0 });
    for (const data of ['a', 'b', 'c']) await fresh.append({ id: undefined, data, storedAt: 0 });
    fresh.close();
    const again = fileStore(path, 2);
    expect({ existed: again.existed, eventsInFile: again.eventsInFile }).toEqual({ existed: true, eventsInFile: 3 });
    expect((await again.readAfter(undefined)).events.map((record) => record.data)).toEqual(['b', 'c']);
  });

  it('never holds more than twice historyLimit events in the file (plus its nextId line)', async () => {
    const path = join(dir, 'bounded.jsonl');
    const store = fileStore(path, 5);
    let most = 0;
    for (let i = 1; i <= 30; i += 1) {
      await store.append({ id: undefined, data: `e${i}`, storedAt: 0 });
      most = Math.max(most, readFileSync(path, 'utf8').trim().split('\n').length);
    }
    expect(most).toBeLessThanOrEqual(2 * 5 + 1);
  });

  it('a clear, trim or replace whose file cannot be rewritten throws and leaves memory as it was', async () => {
    const folder = join(dir, 'goes-away');
    mkdirSync(folder);
    const store = fileStore(join(folder, 'events.jsonl'));
    const sse = createSse({ store, heartbeatMs: 0 });
    for (const data of ['a', 'b', 'c']) sse.sendNewEvent({ data, id: true });
    // The open file lives on, but a rewrite's temporary file has no folder to go in.
    rmSync(folder, { recursive: true });
    expect(() => sse.clearHistory()).toThrow(/ENOENT/);
    expect(() => sse.replaceHistory([{ id: 9, data: 'z', storedAt: 0 }])).toThrow(/ENOENT/);
    expect(() => store.trim(1)).toThrow(/ENOENT/);
    expect(sse.history.map((record) => record.data)).toEqual(['a', 'b', 'c']);
    expect(sse.nextId).toBe(4);
  });
});
