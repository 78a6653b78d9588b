import { describe, expect, it } from 'vitest';
import { describeLifecycle } from '../../../../core/app/console/lifecycle-log.js';
import { createTour } from '../../../../core/app/console/tour.js';
import type { ConnectionInfo } from '../../../../core/stream/types.js';
import { stubConnection } from '../../stream/stub-connection.js';

// The words the console uses for what happened: counts agree with their nouns, ranges of one are one id.

const connection: ConnectionInfo = {
  id: 4,
  remoteAddress: '127.0.0.1',
  remotePort: 50_004,
  userAgent: 'test',
  path: '/events',
  lastEventIdRequested: '1',
  connectedAt: 0,
  eventsSent: 0,
  bytesSent: 0,
  bufferedBytes: 0,
  slow: false,
};

describe('lifecycle wording', () => {
  it('names a single missed id as one id, a range as a range', () => {
    const one = describeLifecycle(
      { type: 'gap', connection: stubConnection, info: connection, requestedId: 1, oldestId: 3 },
      0,
      false,
    );
    expect(one[0]?.text).toContain(': id 2 is gone (');
    const many = describeLifecycle(
      { type: 'gap', connection: stubConnection, info: connection, requestedId: 1, oldestId: 5 },
      0,
      false,
    );
    expect(many[0]?.text).toContain(': ids 2–4 are gone (');
  });

  it('says that a client whose cursor was trimmed was sent event: reset', () => {
    const [line] = describeLifecycle(
      { type: 'gap', connection: stubConnection, info: connection, requestedId: 1, oldestId: 3 },
      0,
      false,
    );
    expect(line?.text).toContain('(the client was sent event: reset)');
  });
});

describe('tour wording', () => {
  it('says "1 connection" and "1 stored event", not "(s)"', () => {
    const tour = createTour({ pagesUrl: 'http://127.0.0.1:8080/', connections: () => [connection] });
    tour.start();
    tour.observe({ type: 'connected', connection: stubConnection, info: connection });
    const sent = tour.observe({
      type: 'sent',
      event: { data: 'Hello World!', connectionCount: 1, sentAt: 0, bytes: Buffer.from('data: Hello World!\n\n') },
    });
    expect(sent.join('\n')).toContain('to 1 connection; the textarea shows it');
    tour.next();
    tour.next();
    const replayed = tour.observe({
      type: 'replayed',
      connection: stubConnection,
      info: connection,
      count: 1,
      firstId: 1,
      lastId: 1,
    });
    expect(replayed.join('\n')).toContain('received 1 stored event (id 1) as soon as it connected');
    expect([...sent, ...replayed].join('\n')).not.toContain('(s)');
  });
});
