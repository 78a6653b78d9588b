import { describe, expect, it } from 'vitest';
import { createTour } from '../../../../core/app/console/tour.js';
import type { ConnectionInfo, HistoryRecord } from '../../../../core/stream/types.js';
import { stubHandle } from '../../stream/stub-handle.js';

// The tour from any state: tabs already open, events already stored, and step 6
// showing a missed event filled in after a reconnect.

function connection(id: number, lastEventIdRequested?: string): ConnectionInfo {
  return {
    id,
    remoteAddress: '127.0.0.1',
    remotePort: 50_000 + id,
    userAgent: 'test',
    path: '/events',
    lastEventIdRequested,
    connectedAt: 0,
    eventsSent: 0,
    bytesSent: 0,
    bufferedBytes: 0,
    slow: false,
  };
}

const pagesUrl = 'http://127.0.0.1:8080/';
const sent = (id?: number) =>
  ({
    type: 'sent',
    event: {
      data: 'Hello World!',
      connectionCount: 2,
      sentAt: 0,
      bytes: Buffer.from('data: x\n\n'),
      ...(id === undefined ? {} : { id }),
    },
  }) as const;

describe('the tour from any state', () => {
  it('passes the steps that open tabs already did', () => {
    const open = [connection(1), connection(2)];
    const tour = createTour({ pagesUrl, connections: () => open });
    const start = tour.start().join('\n');
    expect(start).toContain('✓ A tab is already connected (#1)');
    expect(start).toMatch(/Tour step 2\/6: Send an event without an id\n {2}Type: send --data "Hello World!"$/);
    const after = tour.observe(sent()).join('\n');
    expect(after).toContain('✓ 2 tabs are already connected');
    expect(after).toMatch(/Tour step 4\/6: Send an event with an id/);
    expect(tour.current()).toMatch(/^tour 4\/6: Send an event with an id · Type: send/);
  });

  it('says a new tab got the stored events when there are some', () => {
    const open = [connection(1)];
    const history: HistoryRecord[] = [{ id: 1, data: 'earlier', storedAt: 0 }];
    const tour = createTour({ pagesUrl, connections: () => open, history: () => history });
    tour.start();
    tour.observe(sent());
    open.push(connection(2));
    const lines = tour.observe({ type: 'connected', handle: stubHandle, connection: connection(2) }).join('\n');
    expect(lines).toContain('got the 1 stored event (sent with --id before), but not "Hello World!"');
    expect(lines).not.toContain('Its textarea is empty');
  });

  it('step 6: a reconnect that missed nothing is pointed out; a missed event replayed finishes the tour', () => {
    const tour = createTour({ pagesUrl, connections: () => [] });
    tour.start();
    for (let step = 1; step < 6; step += 1) tour.next();
    expect(tour.current()).toMatch(/^tour 6\/6: Miss an event, get it back on reconnect/);
    const nothing = tour.observe({ type: 'connected', handle: stubHandle, connection: connection(3, '2') });
    expect(nothing.join('\n')).toMatch(/nothing newer was stored, so nothing was filled in/);
    expect(tour.active).toBe(true);
    const filled = tour.observe({
      type: 'replayed',
      handle: stubHandle,
      connection: connection(3, '2'),
      count: 1,
      firstId: 3,
      lastId: 3,
    });
    expect(filled.join('\n')).toContain('reconnected with Last-Event-ID: 2 and was replayed 1 event it missed (id 3)');
    expect(filled.at(-1)).toMatch(/^Tour finished/);
    expect(tour.active).toBe(false);
  });

  it('starts again from step 1 on a second run', () => {
    const tour = createTour({ pagesUrl, connections: () => [] });
    tour.start();
    tour.next();
    expect(tour.start().join('\n')).toMatch(/Tour step 1\/6/);
  });
});
