import { describe, expect, it } from 'vitest';
import { createTour } from '../../../../core/app/console/tour.js';
import { startConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import type { ConnectionInfo, HistoryRecord } from '../../../../core/stream/types.js';
import { stubConnection } from '../../stream/stub-connection.js';
import { openRawStream, useCleanup, waitFor } from '../../stream/support.js';

// The tour from any state: tabs already open, events already stored, and step 6
// showing a missed event filled in after a reconnect. A tab is judged once, after its
// replay: by its `replayed` event, or by `settle` when it was replayed nothing.

const cleanup = useCleanup();

function connection(id: number, lastEventIdRequested?: string, eventsSent = 0): ConnectionInfo {
  return {
    id,
    remoteAddress: '127.0.0.1',
    remotePort: 50_000 + id,
    userAgent: 'test',
    path: '/events',
    lastEventIdRequested,
    connectedAt: 0,
    eventsSent,
    bytesSent: 0,
    bufferedBytes: 0,
    slow: false,
  };
}

const pagesUrl = 'http://127.0.0.1:8080/';
const sent = (id?: number, connectionCount = 2) =>
  ({
    type: 'sent',
    event: {
      data: 'Hello World!',
      connectionCount,
      sentAt: 0,
      bytes: Buffer.from('data: x\n\n'),
      ...(id === undefined ? {} : { id }),
    },
  }) as const;
const connected = (info: ConnectionInfo) => ({ type: 'connected', info, connection: stubConnection }) as const;
const replayed = (info: ConnectionInfo, count: number, firstId: number, lastId = firstId) =>
  ({ type: 'replayed', info, connection: stubConnection, count, firstId, lastId }) as const;

describe('the tour from any state', () => {
  it('passes the steps that open tabs already did', () => {
    const open = [connection(1), connection(2)];
    const tour = createTour({ pagesUrl, connections: () => open });
    const start = tour.start().join('\n');
    expect(start).toContain('✓ 2 tabs are already connected (#1, #2)');
    expect(start).toMatch(/Tour step 2\/6: Send an event without an id\n {2}Type: send --data "Hello World!"$/);
    const after = tour.observe(sent()).join('\n');
    expect(after).toContain('✓ 2 tabs are already connected');
    expect(after).toMatch(/Tour step 4\/6: Send an event with an id/);
    expect(tour.current()).toEqual({
      heading: 'tour 4/6: Send an event with an id',
      instruction: 'Type: send --data "Hello World! (again)" --id',
    });
  });

  it('names the open tabs, the first four of many', () => {
    const open = Array.from({ length: 12 }, (_, index) => connection(index + 1));
    const tour = createTour({ pagesUrl, connections: () => open });
    expect(tour.start().join('\n')).toContain('✓ 12 tabs are already connected (#1, #2, #3, #4 and 8 more)');
  });

  it('counts the tabs that are really open: "All 3 tabs show it", then "Open a fourth tab"', () => {
    const open = [connection(1), connection(2), connection(3)];
    const tour = createTour({ pagesUrl, connections: () => open });
    tour.start();
    tour.observe(sent(undefined, 3));
    const step4 = tour.observe(sent(1, 3)).join('\n');
    expect(step4).toContain('✓ All 3 tabs show it. It went out with `id: 1`');
    expect(step4).not.toContain('Both tabs');
    expect(step4).toMatch(
      /Tour step 5\/6: Open a fourth tab\n {2}Open http:\/\/127\.0\.0\.1:8080\/textarea in a fourth tab\.$/,
    );
    expect(tour.current()?.heading).toBe('tour 5/6: Open a fourth tab');
    expect(step4).not.toContain('third');
  });

  it('says who saw an event with an id for one tab and for none', () => {
    for (const [count, words] of [
      [1, 'The open tab shows it.'],
      [2, 'Both tabs show it.'],
      [0, 'No tab is open, so none shows it yet.'],
    ] as const) {
      const tour = createTour({ pagesUrl, connections: () => [] });
      tour.start();
      for (let step = 1; step < 4; step += 1) tour.next();
      expect(tour.observe(sent(1, count)).join('\n')).toContain(`✓ ${words} It went out with`);
    }
  });

  it('says a new tab got the stored events when its replay gave it some', () => {
    const open = [connection(1)];
    const history: HistoryRecord[] = [{ id: 1, data: 'earlier', storedAt: 0 }];
    const tour = createTour({ pagesUrl, connections: () => open, history: () => history });
    tour.start();
    tour.observe(sent());
    const second = connection(2);
    open.push(second);
    expect(tour.observe(connected(second))).toEqual([]);
    const lines = tour.observe(replayed(second, 1, 1)).join('\n');
    expect(lines).toContain('got the 1 stored event (id 1) (sent with --id before), but not "Hello World!"');
    expect(lines).not.toContain('Its textarea is empty');
  });

  it('says a new tab is empty when it was replayed nothing', () => {
    const open = [connection(1)];
    const tour = createTour({ pagesUrl, connections: () => open });
    tour.start();
    tour.observe(sent());
    const second = connection(2);
    open.push(second);
    tour.observe(connected(second));
    expect(tour.settle(second).join('\n')).toContain('Tab #2 connected. Its textarea is empty');
  });

  it('step 6: a reconnect replayed the event it missed gets one verdict, a ✓, never "nothing was filled in"', () => {
    const tour = createTour({ pagesUrl, connections: () => [] });
    tour.start();
    for (let step = 1; step < 6; step += 1) tour.next();
    expect(tour.current()?.heading).toBe('tour 6/6: Miss an event, get it back on reconnect');
    const back = connection(4, '1');
    // `connected` comes before the replay is written: no verdict yet.
    expect(tour.observe(connected(back))).toEqual([]);
    const filled = tour.observe(replayed(back, 1, 2)).join('\n');
    expect(filled).not.toMatch(/nothing was filled in/);
    expect(filled).toContain('Tab #4 reconnected with Last-Event-ID: 1 and was replayed 1 event it missed (id 2)');
    expect(filled.split('\n').at(-1)).toMatch(/^Tour finished/);
    // The settle that follows the replay says nothing more about it.
    expect(tour.settle(connection(4, '1', 1))).toEqual([]);
    expect(tour.active).toBe(false);
  });

  it('step 6: a reconnect that missed nothing is pointed out once it was replayed nothing', () => {
    const tour = createTour({ pagesUrl, connections: () => [] });
    tour.start();
    for (let step = 1; step < 6; step += 1) tour.next();
    const back = connection(3, '2');
    expect(tour.observe(connected(back))).toEqual([]);
    const nothing = tour.settle(back);
    expect(nothing.join('\n')).toMatch(/Tab #3 reconnected with Last-Event-ID: 2, but nothing newer was stored/);
    expect(tour.settle(back)).toEqual([]);
    expect(tour.active).toBe(true);
  });

  it('waits for the replayed event when the replay is still being written at settle time', () => {
    const tour = createTour({ pagesUrl, connections: () => [] });
    tour.start();
    for (let step = 1; step < 6; step += 1) tour.next();
    const back = connection(5, '1');
    tour.observe(connected(back));
    expect(tour.settle(connection(5, '1', 3))).toEqual([]);
    expect(tour.observe(replayed(back, 9, 2, 10)).join('\n')).toContain('was replayed 9 events it missed (ids 2–10)');
  });

  it('starts again from step 1 on a second run', () => {
    const tour = createTour({ pagesUrl, connections: () => [] });
    tour.start();
    tour.next();
    expect(tour.start().join('\n')).toMatch(/Tour step 1\/6/);
  });
});

describe('step 6 over a real stream', () => {
  it('logs the reconnect once, after its replay: "#N replayed 1 stored event (id 2)" then the ✓, and no contradiction', async () => {
    const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
    cleanup(() => running.controller.dispose());
    const log: LogEntry[] = [];
    running.controller.onLog((entry) => log.push(entry));
    const { controller } = running;
    const port = Number(new URL(running.sseUrl).port);
    controller.execute('send --data "Hello World! (again)" --id');
    controller.execute('tour');
    for (let step = 1; step < 6; step += 1) controller.execute('tour next');
    expect(controller.snapshot().tourStep?.heading).toBe('tour 6/6: Miss an event, get it back on reconnect');
    controller.execute('send --data "sent while you were away" --id');
    const from = log.length;
    const back = openRawStream(port, { path: '/events', headers: { 'Last-Event-ID': '1' }, cleanup });
    await back.until((stream) => stream.events.length === 1, 'the missed event replayed');
    await waitFor(() => log.slice(from).some((entry) => /^Tour finished/.test(entry.text)), 'the tour to finish');
    const texts = log.slice(from).map((entry) => entry.text);
    expect(texts.join('\n')).not.toMatch(/nothing was filled in/);
    const replayLine = texts.findIndex((text) => /^#\d+ replayed 1 stored event \(id 2\)$/.test(text));
    const verdict = texts.findIndex((text) =>
      text.includes('reconnected with Last-Event-ID: 1 and was replayed 1 event it missed (id 2)'),
    );
    expect(replayLine).toBeGreaterThanOrEqual(0);
    expect(verdict).toBeGreaterThan(replayLine);
  });

  it('points out a reconnect that missed nothing, after its (empty) replay', async () => {
    const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
    cleanup(() => running.controller.dispose());
    const log: LogEntry[] = [];
    running.controller.onLog((entry) => log.push(entry));
    const { controller } = running;
    const port = Number(new URL(running.sseUrl).port);
    controller.execute('send --data "Hello World! (again)" --id');
    controller.execute('tour');
    for (let step = 1; step < 6; step += 1) controller.execute('tour next');
    openRawStream(port, { path: '/events', headers: { 'Last-Event-ID': '1' }, cleanup });
    await waitFor(() => log.some((entry) => entry.text.includes('nothing newer was stored')), 'the notice');
    expect(log.filter((entry) => entry.text.includes('Last-Event-ID: 1')).map((entry) => entry.kind)).toContain('info');
    expect(controller.snapshot().tourStep?.heading).toMatch(/^tour 6\/6/);
  });
});
