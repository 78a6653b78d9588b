import { describe, expect, it } from 'vitest';
import type { ConsoleStores } from '../../../../core/app/console/console-store.js';
import { startConsole, type RunningConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { createMemoryStore, type ReplayStore } from '../../../../core/index.js';
import { openRawStream, useCleanup, waitFor } from '../../stream/support.js';

// The console on an asynchronous replay store (what --redis gives): send --id through
// publish, history and history clear read the store, replay on reconnect, a store
// that cannot answer is an error line and the console goes on.

const cleanup = useCleanup();

interface SwitchableStore extends ReplayStore {
  /** While down, every call rejects as a network store's does when its server is gone. */
  down: boolean;
}

/**
A store as a network store behaves: every answer on a later turn of the event loop,
ids of its own form (`e-1`, `e-2` …), no `nextId`; the events kept by a memory log.
*/
function asyncStore(): SwitchableStore {
  const inner = createMemoryStore();
  let next = 1;
  const later = <T>(run: () => T): Promise<T> =>
    new Promise((resolve, reject) => {
      setTimeout(() => {
        if (store.down) reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
        else resolve(run());
      }, 2);
    });
  const store: SwitchableStore = {
    down: false,
    append: (input) => later(() => inner.append({ ...input, id: input.id ?? `e-${next++}` }) as never),
    readAfter: (cursor) => later(() => inner.readAfter(cursor) as never),
    trim: (keep) => later(() => inner.trim(keep) as never),
    clear: () => later(() => inner.clear() as never),
  };
  return store;
}

function storesOf(main: SwitchableStore): ConsoleStores {
  const channels = new Map<string, ReplayStore>();
  return {
    kind: 'redis',
    asynchronous: true,
    main,
    channel(name) {
      let store = channels.get(name);
      if (store === undefined) channels.set(name, (store = asyncStore()));
      return store;
    },
    close: () => Promise.resolve(),
  };
}

async function start(stores?: ConsoleStores): Promise<{ running: RunningConsole; log: LogEntry[] }> {
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0, ...(stores ? { stores } : {}) });
  cleanup(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => log.push(entry));
  return { running, log };
}

const texts = (log: readonly LogEntry[], kind: LogEntry['kind'], from = 0): string[] =>
  log
    .slice(from)
    .filter((entry) => entry.kind === kind)
    .map((entry) => entry.text);

describe('the console on an asynchronous store', () => {
  it('names the store on the status line: memory by default', async () => {
    const { running } = await start();
    expect(running.controller.snapshot().screen.counts).toContain('store memory');
  });

  it('sends stored events through the store, lists and clears its log, and replays from it', async () => {
    const store = asyncStore();
    const { running, log } = await start(storesOf(store));
    const { controller } = running;
    const port = Number(new URL(running.sseUrl).port);
    const tab = openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => controller.snapshot().connections.length === 1, 'the tab to connect');

    controller.execute('send --data first --id');
    controller.execute('send --data second --id');
    await tab.until((s) => s.events.length === 2, 'both events at the tab');
    expect(tab.events.map((event) => [event.id, event.data])).toEqual([
      ['e-1', 'first'],
      ['e-2', 'second'],
    ]);
    await waitFor(() => controller.snapshot().history.length === 2, 'the events pane to read the store');
    expect(controller.snapshot().screen.counts).toEqual(expect.arrayContaining(['2 stored', 'store redis']));

    const from = log.length;
    controller.execute('history');
    await waitFor(() => texts(log, 'output', from).length >= 3, 'the history rows');
    const rows = texts(log, 'output', from);
    expect(rows.slice(1).map((row) => row.split(/ +/)[0])).toEqual(['e-1', 'e-2']);

    // A reconnect with Last-Event-ID e-1 is sent what the store holds after it.
    const again = openRawStream(port, { path: '/events', headers: { 'Last-Event-ID': 'e-1' }, cleanup });
    await again.until((s) => s.events.length === 1, 'the replay after e-1');
    expect(again.events[0]?.data).toBe('second');

    const beforeClear = log.length;
    controller.execute('history clear');
    await waitFor(() => texts(log, 'output', beforeClear).length > 0, 'the answer to history clear');
    expect(texts(log, 'output', beforeClear)).toEqual(['history cleared in redis (2 events); ids are not reused']);
    expect((await store.readAfter(undefined)).events).toEqual([]);
    await waitFor(() => controller.snapshot().history.length === 0, 'the events pane to empty');
  });

  it('answers send --id with an error line while the store is down, and goes on', async () => {
    const store = asyncStore();
    const { running, log } = await start(storesOf(store));
    const { controller } = running;
    store.down = true;
    const from = log.length;
    controller.execute('send --data lost --id');
    await waitFor(() => texts(log, 'error', from).length > 0, 'the error line');
    expect(texts(log, 'error', from)).toEqual([
      'event not sent: the redis store could not keep it (connect ECONNREFUSED 127.0.0.1:6379); nothing was sent or stored. Send without --id to send it unstored, or retry when the store is back',
    ]);
    controller.execute('history');
    await waitFor(() => texts(log, 'error', from).length > 1, 'the history error');
    expect(texts(log, 'error', from)[1]).toMatch(
      /^could not read the history: the redis store did not answer \(connect ECONNREFUSED/,
    );

    // Unstored sends need no store; once it is back, stored ones go through again.
    controller.execute('send --data "not stored"');
    expect(log.some((entry) => entry.kind === 'send' && entry.text.includes('"not stored"'))).toBe(true);
    store.down = false;
    controller.execute('send --data back --id');
    await waitFor(() => controller.snapshot().history.length === 1, 'the event stored once the store is back');
    expect(controller.snapshot().history[0]).toMatchObject({ id: 'e-1', data: 'back' });
  });

  it('sends on a channel through its own asynchronous store', async () => {
    const { running, log } = await start(storesOf(asyncStore()));
    const { controller } = running;
    const port = Number(new URL(running.sseUrl).port);
    const news = openRawStream(port, { path: '/events/news', cleanup });
    await waitFor(() => controller.snapshot().connections.length === 1, 'the news tab');
    controller.execute('send --channel news --data headline --id');
    await news.until((s) => s.events.length === 1, 'the news event');
    expect(news.events[0]).toMatchObject({ id: 'e-1', data: 'headline' });
    const from = log.length;
    controller.execute('history --channel news');
    await waitFor(() => texts(log, 'output', from).length >= 2, 'the channel rows');
    expect(texts(log, 'output', from)[1]).toMatch(/^e-1 +/);
  });
});
