import { deepStrictEqual, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { HistoryRecord } from '../stream/types.js';
import type { ReplayRead, ReplayStore, ReplayStoreInput } from './replay-store.js';

/**
Makes a fresh, empty store for one check (a new temp file, a new Redis key …). May be async.

@public
*/
export type MakeReplayStore = () => ReplayStore | Promise<ReplayStore>;

/**
One of the checks every {@link ReplayStore} must pass: `run` resolves when the store
passed and rejects (an `AssertionError` from node:assert) naming what it did wrong.

@public
*/
export interface ReplayStoreCheck {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/**
The part of a test runner `describeReplayStore` uses: vitest's, Jest's, Mocha's or
node:test's `describe` and `it` fit.

@public
*/
export interface ReplayStoreTestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
}

const at = (storedAt: number, data: string, id?: number | string): ReplayStoreInput => ({ id, data, storedAt });

async function appendAll(store: ReplayStore, inputs: readonly ReplayStoreInput[]): Promise<HistoryRecord[]> {
  const stored: HistoryRecord[] = [];
  for (const input of inputs) stored.push(await store.append(input));
  return stored;
}

const cursor = (record: HistoryRecord | undefined): string => String(record?.id);
const ids = (read: ReplayRead): (number | string)[] => read.events.map((record) => record.id);

/** The checks, each run on a store of its own. */
function checks(): [string, (store: ReplayStore) => Promise<void>][] {
  return [
    [
      'issues an id to each event appended without one, never the same twice, in a form a Last-Event-ID can carry',
      async (store) => {
        const stored = await appendAll(store, [at(1, 'a'), at(2, 'b'), at(3, 'c')]);
        const issued = stored.map((record) => record.id);
        strictEqual(new Set(issued.map(String)).size, 3, `ids issued twice: ${JSON.stringify(issued)}`);
        for (const id of issued) {
          ok(
            typeof id === 'number' ? Number.isSafeInteger(id) && id >= 0 : id !== '' && !/[\r\n\0]/.test(id),
            `id ${JSON.stringify(id)} cannot be sent as an SSE id`,
          );
        }
      },
    ],
    [
      'keeps each record as given: data with line breaks, event, retry, storedAt, and an application id',
      async (store) => {
        const input: ReplayStoreInput = { id: 'order-7', data: 'one\ntwo', event: 'order', retry: 1500, storedAt: 42 };
        const record = await store.append(input);
        deepStrictEqual({ ...record }, { ...input });
        deepStrictEqual(
          (await store.readAfter(undefined)).events.map((event) => ({ ...event })),
          [{ ...input }],
        );
      },
    ],
    [
      'answers every held event, oldest first, with no reset, when there is no cursor',
      async (store) => {
        const stored = await appendAll(store, [at(1, 'a'), at(2, 'b', 'app-id'), at(3, 'c')]);
        const read = await store.readAfter(undefined);
        deepStrictEqual(
          ids(read),
          stored.map((record) => record.id),
        );
        deepStrictEqual(
          read.events.map((record) => record.data),
          ['a', 'b', 'c'],
        );
        strictEqual(read.reset, undefined);
      },
    ],
    [
      'resumes after a held id (its wire form), and answers nothing after the newest',
      async (store) => {
        const stored = await appendAll(store, [at(1, 'a'), at(2, 'b'), at(3, 'c'), at(4, 'd', 'app-id')]);
        const read = await store.readAfter(cursor(stored[1]));
        deepStrictEqual(ids(read), [stored[2]?.id, stored[3]?.id]);
        strictEqual(read.reset, undefined);
        deepStrictEqual(ids(await store.readAfter('app-id')), []);
        strictEqual((await store.readAfter(cursor(stored[3]))).reset, undefined);
      },
    ],
    [
      'resumes after the newer event when an application id is stored again',
      async (store) => {
        await appendAll(store, [at(1, 'a', 'x'), at(2, 'b'), at(3, 'c', 'x'), at(4, 'd')]);
        deepStrictEqual(
          (await store.readAfter('x')).events.map((record) => record.data),
          ['d'],
        );
      },
    ],
    [
      'answers a trimmed reset, with every held event, for an id it trimmed',
      async (store) => {
        const stored = await appendAll(store, [at(1, 'a'), at(2, 'b'), at(3, 'c')]);
        await store.trim(1);
        const read = await store.readAfter(cursor(stored[0]));
        deepStrictEqual(read.reset, { reason: 'trimmed', oldestId: stored[2]?.id });
        deepStrictEqual(ids(read), [stored[2]?.id]);
        deepStrictEqual(ids(await store.readAfter(undefined)), [stored[2]?.id]);
      },
    ],
    [
      'answers a trimmed reset with oldestId null after clear, and issues no id again',
      async (store) => {
        const stored = await appendAll(store, [at(1, 'a'), at(2, 'b')]);
        await store.clear();
        const read = await store.readAfter(cursor(stored[0]));
        deepStrictEqual(read.reset, { reason: 'trimmed', oldestId: null });
        deepStrictEqual(ids(read), []);
        const next = await store.append(at(3, 'c'));
        for (const old of stored) notStrictEqual(String(next.id), String(old.id), 'an id was issued again after clear');
        deepStrictEqual(ids(await store.readAfter(undefined)), [next.id]);
      },
    ],
    [
      'answers a read with a limit a page at a time: at most limit events and a next cursor, or everything and no next',
      async (store) => {
        const stored = await appendAll(store, [at(1, 'a'), at(2, 'b', 'app-id'), at(3, 'c'), at(4, 'd'), at(5, 'e')]);
        for (const [start, expected] of [
          [undefined, stored],
          [cursor(stored[0]), stored.slice(1)],
        ] as const) {
          const paged: (number | string)[] = [];
          let read = await store.readAfter(start, 2);
          strictEqual(read.reset, undefined, 'a page of a held cursor has no reset');
          for (let pages = 1; ; pages += 1) {
            // A store may ignore the limit, but then it answers everything, with no next.
            ok(
              read.events.length <= 2 || read.next === undefined,
              `a page of ${read.events.length} events, and a next`,
            );
            ok(pages <= expected.length + 1, 'the pages never end');
            paged.push(...ids(read));
            if (read.next === undefined) break;
            ok(typeof read.next === 'string', 'next is a cursor (text)');
            read = await store.readAfter(read.next, 2);
            strictEqual(read.reset, undefined, 'a next cursor is resumed from');
          }
          deepStrictEqual(
            paged,
            expected.map((record) => record.id),
            `the pages after ${String(start)}`,
          );
        }
      },
    ],
    [
      'answers an unknown reset, with every held event, for a value it never issued',
      async (store) => {
        const stored = await appendAll(store, [at(1, 'a'), at(2, 'b')]);
        for (const value of ['never-issued-\u2603', ' ']) {
          const read = await store.readAfter(value);
          deepStrictEqual(read.reset, { reason: 'unknown', oldestId: stored[0]?.id }, `for ${JSON.stringify(value)}`);
          deepStrictEqual(
            ids(read),
            stored.map((record) => record.id),
          );
        }
      },
    ],
  ];
}

/**
The checks every {@link ReplayStore} must pass, each run on a fresh store from
`makeStore`: ids issued once and never again (not after `clear`), records kept as
given, reads after a held id, the newer of two events with one id, reads in pages
(`limit` and `next`), and the `trimmed` and `unknown` resets. Assertions are node:assert's, so no test runner is needed;
`describeReplayStore` registers them with one.

@example
```ts
import { replayStoreChecks } from 'sse-console/testing';
for (const check of replayStoreChecks(() => createMyStore())) await check.run();
```
@public
*/
export function replayStoreChecks(makeStore: MakeReplayStore): readonly ReplayStoreCheck[] {
  return checks().map(([name, body]) => ({
    name,
    run: async () => body(await makeStore()),
  }));
}

/**
Registers the {@link replayStoreChecks} with a test runner, as `describe(name)` with
one `it` per check: the shared suite both built-in stores pass, for your own store.

@example
```ts
import { describe, it } from 'vitest';
import { describeReplayStore } from 'sse-console/testing';

describeReplayStore('my Redis store', () => createRedisStore({ key: `test-${crypto.randomUUID()}` }), { describe, it });
```
@public
*/
export function describeReplayStore(name: string, makeStore: MakeReplayStore, runner: ReplayStoreTestRunner): void {
  runner.describe(name, () => {
    for (const check of replayStoreChecks(makeStore)) runner.it(check.name, check.run);
  });
}
