import { describe, expect, it } from 'vitest';
import {
  createSse,
  SseArgumentError,
  type HistoryRecord,
  type ReplayRead,
  type ReplayStore,
} from '../../../core/index.js';
import { describeReplayStore } from '../../../core/testing.js';
import { openRawStream, startTestStream, useCleanup, waitFor } from './support.js';

const cleanup = useCleanup();

interface TestStore extends ReplayStore {
  /** Makes reads wait until the returned function is called; `snapshot` says when a read looks at the events. */
  holdReads(snapshot: 'when-asked' | 'when-answered'): () => void;
}

/**
A third-party store, as another package would write one: ids `evt-1`, `evt-2` … of its
own, synchronous or answering every call on a later turn of the event loop (as a
network store does), with reads that can be held open to test the hand-over.
*/
function stringIdStore(asynchronous: boolean, paged = false): TestStore {
  let next = 1;
  let events: HistoryRecord[] = [];
  const issued = new Set<string>();
  let held: { promise: Promise<void>; snapshot: 'when-asked' | 'when-answered' } | undefined;
  function answer<T>(value: () => T): T | Promise<T> {
    return asynchronous ? new Promise((resolve) => setImmediate(() => resolve(value()))) : value();
  }
  /** With `paged`, honours a read's limit (see `ReplayStore.readAfter`); else answers everything, as a store may. */
  function page(all: HistoryRecord[], limit: number | undefined): ReplayRead {
    if (!paged || limit === undefined || all.length <= limit) return { events: all };
    const answered = all.slice(0, limit);
    return { events: answered, next: String(answered.at(-1)?.id) };
  }
  function read(cursor: string | undefined, limit?: number): ReplayRead {
    if (cursor === undefined) return page([...events], limit);
    const index = events.findLastIndex((record) => String(record.id) === cursor);
    if (index >= 0) return page(events.slice(index + 1), limit);
    const oldestId = events[0]?.id ?? null;
    const reset = { reason: issued.has(cursor) ? 'trimmed' : 'unknown', oldestId } as const;
    return { ...page([...events], limit), reset };
  }
  return {
    synchronous: !asynchronous,
    append: (input) =>
      answer(() => {
        const record: HistoryRecord = { ...input, id: input.id ?? `evt-${next++}` };
        events.push(record);
        issued.add(String(record.id));
        return record;
      }),
    readAfter(cursor, limit) {
      if (held === undefined) return answer(() => read(cursor, limit));
      const early = held.snapshot === 'when-asked' ? read(cursor, limit) : undefined;
      return held.promise.then(() => early ?? read(cursor, limit));
    },
    trim: (keep) => answer(() => void (events = keep === 0 ? [] : events.slice(-keep))),
    clear: () => answer(() => void (events = [])),
    holdReads(snapshot) {
      let open = (): void => undefined;
      held = { promise: new Promise((resolve) => (open = resolve)), snapshot };
      return () => {
        held = undefined;
        open();
      };
    },
  };
}

describeReplayStore(
  'the shared store suite: a third-party store (its own string ids, asynchronous)',
  () => stringIdStore(true),
  {
    describe,
    it,
  },
);

describeReplayStore(
  "the shared store suite: a third-party store that honours a read's limit",
  () => stringIdStore(true, true),
  { describe, it },
);

describe('createSse({ store }) with a store other than the built-in ones', () => {
  it('replays a long log a page at a time, each page read once the socket took the last, then hands over to live', async () => {
    // 30 MB: more than loopback's socket buffers take, so the replay must wait for 'drain'.
    const stored = 3000;
    const filler = 'r'.repeat(10_000);
    const store = stringIdStore(true, true);
    const reads: { limit: number | undefined; answered: number; slow: boolean }[] = [];
    let connectionSlow = (): boolean => false;
    const watched: ReplayStore = {
      ...store,
      readAfter: async (cursor, limit) => {
        const slow = connectionSlow(); // a read asked while the socket is still full is not paced
        const read = await store.readAfter(cursor, limit);
        reads.push({ limit, answered: read.events.length, slow });
        return read;
      },
    };
    const { sse, port, of } = await startTestStream(cleanup, { store: watched });
    for (let index = 1; index <= stored; index += 1) await sse.publish({ data: `${index}:${filler}`, id: true });
    connectionSlow = () => sse.connections[0]?.info().slow ?? false;

    const client = openRawStream(port, { cleanup });
    client.socket.pause();
    await waitFor(() => sse.connections[0]?.info().slow === true, 'the replay to fill the socket');
    // Held by the process for this client: one slice (64 KiB and the event that crossed it), not a page.
    expect(sse.connections[0]?.info().bufferedBytes).toBeLessThanOrEqual(64 * 1024 + 2 * filler.length);
    // Live while the replay waits: stored ones (also in later pages: sent once) and one unstored.
    await sse.publish({ data: 'live one', id: true });
    sse.sendNewEvent({ data: 'live two' });
    await sse.publish({ data: 'live three', id: true });
    client.socket.resume();
    // Ends early if the connection is dropped (a replay buffered whole leaves no room for live events).
    await client.until((s) => s.closed || s.events.length === stored + 3, 'the replay and the live events', 50_000);
    expect(of('disconnected')).toEqual([]);

    expect(reads.length).toBeGreaterThan(2);
    for (const read of reads) {
      expect(read.limit).toBeGreaterThan(0);
      expect(read.answered).toBeLessThanOrEqual(read.limit ?? Number.POSITIVE_INFINITY);
      expect(read.slow).toBe(false);
    }
    const data = client.events.map((event) => event.data);
    expect(data.slice(0, stored)).toEqual(Array.from({ length: stored }, (_, index) => `${index + 1}:${filler}`));
    expect(data.slice(stored)).toEqual(['live one', 'live two', 'live three']);
    expect(of('replayed')).toMatchObject([{ count: stored, firstId: 'evt-1', lastId: `evt-${stored}` }]);
  }, 60_000);

  it('stores through a synchronous store with its ids; a reconnect resumes after one, a trimmed one gets event: reset', async () => {
    const store = stringIdStore(false);
    const { sse, port, of } = await startTestStream(cleanup, { store });
    expect(sse.sendNewEvent({ data: 'a', id: true }).id).toBe('evt-1');
    expect(sse.sendNewEvent({ data: 'b', id: true }).id).toBe('evt-2');
    expect(sse.sendNewEvent({ data: 'c', id: 'mine' }).id).toBe('mine');
    expect(sse.history.map((record) => record.id)).toEqual(['evt-1', 'evt-2', 'mine']);

    const resumed = openRawStream(port, { headers: { 'Last-Event-ID': 'evt-1' }, cleanup });
    await resumed.until((s) => s.events.length === 2, 'the events after evt-1');
    expect(resumed.events.map((event) => event.id)).toEqual(['evt-2', 'mine']);

    await store.trim(1);
    const late = openRawStream(port, { headers: { 'Last-Event-ID': 'evt-1' }, cleanup });
    await late.until((s) => s.events.length === 2, 'the reset and the held event');
    expect(late.events.map((event) => [event.event, event.data])).toEqual([
      ['reset', '{"reason":"trimmed","oldestId":"mine"}'],
      [undefined, 'c'],
    ]);
    expect(of('gap')).toMatchObject([{ requestedId: 'evt-1', oldestId: 'mine' }]);
  });

  it('with an asynchronous store: publish stores then sends in call order; the synchronous methods refuse', async () => {
    const store = stringIdStore(true);
    const { sse, port } = await startTestStream(cleanup, { store });
    const client = openRawStream(port, { cleanup });
    await waitFor(() => sse.connections.length === 1, 'the connection');
    const sent = await Promise.all(['a', 'b', 'c'].map((data) => sse.publish({ data, id: true })));
    expect(sent.map((event) => event.id)).toEqual(['evt-1', 'evt-2', 'evt-3']);
    await client.until((s) => s.events.length === 3, 'the three events');
    expect(client.events.map((event) => [event.id, event.data])).toEqual([
      ['evt-1', 'a'],
      ['evt-2', 'b'],
      ['evt-3', 'c'],
    ]);
    expect(() => sse.sendNewEvent({ data: 'x', id: true })).toThrow(SseArgumentError);
    expect(() => sse.clearHistory()).toThrow(SseArgumentError);
    expect(sse.sendNewEvent({ data: 'not stored' }).id).toBeUndefined();
    expect((await store.readAfter(undefined)).events).toHaveLength(3);
  });

  it('refuses publish after stop(): ERR_SSE_STOPPED, and the store is not asked to keep anything', async () => {
    const store = stringIdStore(true);
    const sse = createSse({ store });
    sse.stop();
    await expect(sse.publish({ data: 'late', id: true })).rejects.toMatchObject({ code: 'ERR_SSE_STOPPED' });
    expect((await store.readAfter(undefined)).events).toEqual([]);
  });

  it.each(['when-asked', 'when-answered'] as const)(
    'hands over from a slow read (snapshot %s) to live delivery with no gap and no duplicate',
    async (snapshot) => {
      const store = stringIdStore(true);
      const { sse, port } = await startTestStream(cleanup, { store });
      await sse.publish({ data: 'e1', id: true });
      await sse.publish({ data: 'e2', id: true });
      const release = store.holdReads(snapshot);
      const client = openRawStream(port, { headers: { 'Last-Event-ID': 'evt-1' }, cleanup });
      await waitFor(() => sse.connections.length === 1, 'the connection, its read pending');
      // Sent while the read is pending: in the read's answer or not, it must arrive once.
      await sse.publish({ data: 'e3', id: true });
      sse.sendComment('while reading');
      release();
      await sse.publish({ data: 'e4', id: true });
      await client.until((s) => s.events.length === 3, 'e2, e3 and e4');
      sse.sendNewEvent({ data: 'e5' });
      await client.until((s) => s.events.length === 4, 'e5');
      expect(client.events.map((event) => event.data)).toEqual(['e2', 'e3', 'e4', 'e5']);
      expect(client.comments).toEqual(['while reading']);
    },
  );

  it('sends nothing when the store fails to keep an event, and ends a connection whose read fails with retry:', async () => {
    const store = stringIdStore(true);
    const failing: ReplayStore = {
      ...store,
      append: () => Promise.reject(new Error('store is down')),
      readAfter: (cursor) => (cursor === 'boom' ? Promise.reject(new Error('read failed')) : store.readAfter(cursor)),
    };
    const { sse, port, of } = await startTestStream(cleanup, { store: failing });
    const client = openRawStream(port, { cleanup });
    await waitFor(() => sse.connections.length === 1, 'the connection');
    await expect(sse.publish({ data: 'lost', id: true })).rejects.toThrow('store is down');
    // Later sends are not held up by the failed one.
    await sse.publish({ data: 'not stored' });
    await client.until((s) => s.events.length === 1, 'the unstored event');
    expect(client.events.map((event) => event.data)).toEqual(['not stored']);

    // Told when to come back, then ended cleanly (a reset stream or a 5xx can make a browser give up).
    const unread = openRawStream(port, { headers: { 'Last-Event-ID': 'boom' }, cleanup });
    await waitFor(() => of('disconnected').some((event) => event.reason === 'error'), 'the connection dropped');
    await unread.until((s) => s.ended, 'the clean end of the stream');
    expect(unread.status).toBe(200);
    expect(unread.retries).toEqual([2000]);
  });

  it('ends a replay whose store answers a next that does not move (the cursor it was given) and goes live', async () => {
    const store = stringIdStore(true);
    // A store bug: every page says "more after the cursor you gave me".
    const stuck: ReplayStore = {
      ...store,
      readAfter: async (cursor, limit) => ({ ...(await store.readAfter(cursor, limit)), next: cursor ?? 'evt-1' }),
    };
    const { sse, port, of } = await startTestStream(cleanup, { store: stuck });
    for (const data of ['e1', 'e2', 'e3']) await sse.publish({ data, id: true });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': 'evt-1' }, cleanup });
    await waitFor(() => of('replayed').length === 1, 'the end of the replay', 5000);
    await sse.publish({ data: 'e4', id: true });
    await client.until((s) => s.events.length === 3, 'e2, e3 and the live e4', 5000);
    expect(client.events.map((event) => event.data)).toEqual(['e2', 'e3', 'e4']);
    expect(of('replayed')).toMatchObject([{ count: 2, firstId: 'evt-2', lastId: 'evt-3' }]);
  });

  /** A paged store holding 600 events (a page and some): `later` answers the read of its second page. */
  async function twoPageStream(asynchronous: boolean, later: (cursor: string) => Promise<ReplayRead> | ReplayRead) {
    const store = stringIdStore(asynchronous, true);
    const wrapped: ReplayStore = {
      ...store,
      readAfter: (cursor, limit) => (cursor === 'evt-512' ? later(cursor) : store.readAfter(cursor, limit)),
    };
    const stream = await startTestStream(cleanup, { store: wrapped });
    // 10 KB events: page one (5 MB) fills loopback's socket buffers, so page two is read on 'drain'.
    const filler = 'f'.repeat(10_000);
    for (let index = 1; index <= 600; index += 1) await store.append({ id: undefined, data: filler, storedAt: 0 });
    return stream;
  }

  it('reports the pages replayed before a store read failed on a later page, then ends with retry:', async () => {
    const { port, of } = await twoPageStream(true, () => Promise.reject(new Error('store went away')));
    const client = openRawStream(port, { cleanup });
    await client.until((s) => s.ended, 'the clean end of the stream', 20_000);
    expect(client.events).toHaveLength(512);
    expect(client.retries).toEqual([2000]);
    expect(of('replayed')).toMatchObject([{ count: 512, firstId: 'evt-1', lastId: 'evt-512' }]);
    expect(of('disconnected')).toMatchObject([{ reason: 'error' }]);
  });

  it.each([
    ['an asynchronous store (a Promise callback)', true],
    ['a synchronous store (a drain listener)', false],
  ])(
    'ends the connection whose store answers a record that cannot be encoded, with %s; the server lives',
    async (_what, asynchronous) => {
      const bad: HistoryRecord = { id: 'two\nlines', data: 'x', storedAt: 0 };
      const { sse, port, of } = await twoPageStream(asynchronous, () => ({ events: [bad] }));
      const client = openRawStream(port, { cleanup });
      await client.until((s) => s.ended, 'the clean end of the stream', 20_000);
      expect(client.events).toHaveLength(512);
      expect(client.retries).toEqual([2000]);
      expect(of('replayed')).toMatchObject([{ count: 512 }]);
      // Another client is served: replayed and live.
      const other = openRawStream(port, { headers: { 'Last-Event-ID': 'evt-600' }, cleanup });
      await waitFor(() => sse.connections.length === 1, 'the other connection');
      sse.sendNewEvent({ data: 'still here' });
      await other.until((s) => s.events.length === 1, 'the live event');
      expect(other.events.map((event) => event.data)).toEqual(['still here']);
    },
    30_000,
  );

  it('refuses options that belong to the store, and a store without its methods', () => {
    const store = stringIdStore(false);
    expect(() => createSse({ store, historyLimit: 5 })).toThrow(/historyLimit belongs to the store/);
    expect(() => createSse({ store, persist: () => undefined })).toThrow(SseArgumentError);
    expect(() => createSse({ store: { append: () => ({ id: 1, data: '', storedAt: 0 }) } as never })).toThrow(
      /readAfter is not a function/,
    );
  });
});
