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
function stringIdStore(asynchronous: boolean): TestStore {
  let next = 1;
  let events: HistoryRecord[] = [];
  const issued = new Set<string>();
  let held: { promise: Promise<void>; snapshot: 'when-asked' | 'when-answered' } | undefined;
  function answer<T>(value: () => T): T | Promise<T> {
    return asynchronous ? new Promise((resolve) => setImmediate(() => resolve(value()))) : value();
  }
  function read(cursor: string | undefined): ReplayRead {
    if (cursor === undefined) return { events: [...events] };
    const index = events.findLastIndex((record) => String(record.id) === cursor);
    if (index >= 0) return { events: events.slice(index + 1) };
    const oldestId = events[0]?.id ?? null;
    return { events: [...events], reset: { reason: issued.has(cursor) ? 'trimmed' : 'unknown', oldestId } };
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
    readAfter(cursor) {
      if (held === undefined) return answer(() => read(cursor));
      const early = held.snapshot === 'when-asked' ? read(cursor) : undefined;
      return held.promise.then(() => early ?? read(cursor));
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

describe('createSse({ store }) with a store other than the built-in ones', () => {
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

  it('refuses options that belong to the store, and a store without its methods', () => {
    const store = stringIdStore(false);
    expect(() => createSse({ store, historyLimit: 5 })).toThrow(/historyLimit belongs to the store/);
    expect(() => createSse({ store, persist: () => undefined })).toThrow(SseArgumentError);
    expect(() => createSse({ store: { append: () => ({ id: 1, data: '', storedAt: 0 }) } as never })).toThrow(
      /readAfter is not a function/,
    );
  });
});
