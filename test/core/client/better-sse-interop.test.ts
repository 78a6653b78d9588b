import { createSession } from 'better-sse';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseClient } from '../../../core/client/create-sse-client.js';
import type { SseClient, SseClientEvent, SseConnectInfo, SseReconnectInfo } from '../../../core/client/types.js';
import { startTestServer, waitFor } from './support/test-server.js';
import type { TestServer } from './support/test-server.js';

/**
Another library's server (better-sse sessions mounted on node:http): the client must
show its events exactly as a browser would.
*/

let server: TestServer | undefined;
let client: SseClient | undefined;
let eventSource: EventSource | undefined;

afterEach(async () => {
  client?.close();
  eventSource?.close();
  await server?.close();
  client = undefined;
  eventSource = undefined;
  server = undefined;
});

describe('createSseClient against a better-sse server', () => {
  it('shows named events, ids, comments and a mis-framed multi-line value as a browser would, and resumes with Last-Event-ID', async () => {
    const lastIdsSeenByServer: string[] = [];
    const generatedIds: string[] = [];
    server = await startTestServer(async (req, res) => {
      const session = await createSession(req, res, {
        retry: 50,
        keepAlive: null,
        serializer: (data) => (typeof data === 'string' ? data : JSON.stringify(data)),
      });
      lastIdsSeenByServer.push(session.lastId);
      if (session.lastId === '') {
        session.push({ price: 1 }, 'tick', 'a1');
        session.push('hello');
        generatedIds.push(session.lastId);
        await session.batch((buffer) => {
          buffer.comment('from better-sse').dispatch();
        });
        session.push('multi\nline', 'note', 'n1');
        res.end();
      } else {
        session.push(`resumed after ${session.lastId}`);
      }
    });

    const events: SseClientEvent[] = [];
    const comments: string[] = [];
    const connects: SseConnectInfo[] = [];
    const reconnects: SseReconnectInfo[] = [];
    const ignoredLines: string[] = [];
    const received: Uint8Array[] = [];
    client = createSseClient({
      url: `${server.url}/events`,
      onEvent: (event) => events.push(event),
      onComment: (comment) => comments.push(comment),
      onConnect: (info) => connects.push(info),
      onReconnecting: (info) => reconnects.push(info),
      onIgnoredLine: (ignored) => ignoredLines.push(ignored.line),
      onBytes: (bytes) => received.push(bytes),
    });
    await waitFor(() => events.length === 4, 'four events from better-sse');

    const uuid = generatedIds[0] ?? '';
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.map(({ event, data, id, lastEventId }) => ({ event, data, id, lastEventId }))).toEqual([
      { event: 'tick', data: '{"price":1}', id: 'a1', lastEventId: 'a1' },
      { event: 'message', data: 'hello', id: uuid, lastEventId: uuid },
      // better-sse writes `data:multi\nline\n`: its second line lacks the `data:`
      // prefix, so a browser sees an unknown field "line" and data "multi".
      { event: 'note', data: 'multi', id: 'n1', lastEventId: 'n1' },
      // better-sse gives every pushed event an id: a fresh UUID here.
      { event: 'message', data: 'resumed after n1', id: events[3]?.id, lastEventId: events[3]?.id },
    ]);
    expect(comments).toContain('from better-sse');
    expect(ignoredLines).toEqual(['line']);
    expect(Buffer.concat(received).toString('utf8')).toContain('data:multi\nline\n');
    expect(client.retryMs).toBe(50);
    expect(reconnects).toMatchObject([{ retryMs: 50, delayMs: 100, lastEventId: 'n1' }]);
    expect(lastIdsSeenByServer).toEqual(['', 'n1']);
    // better-sse sends no-cache and X-Accel-Buffering: no, so nothing to warn about.
    expect(connects[0]?.warnings).toEqual([]);
    expect(connects[0]?.headers).toContainEqual(['content-type', 'text/event-stream']);
  });

  it('agrees with the eventsource package on the same better-sse stream', async () => {
    server = await startTestServer(async (req, res) => {
      const session = await createSession(req, res, { retry: 60_000, keepAlive: null });
      session.push({ n: 1 }, 'tick', '1');
      // Explicit ids: without one, better-sse makes a random UUID per connection.
      session.push('two\r\nlines', 'note', '2');
      session.push('', 'message', '');
      session.push('after an empty id', 'message', '4');
    });
    type Seen = { event: string; data: string; lastEventId: string };
    const fromOurs: Seen[] = [];
    const fromEventSource: Seen[] = [];
    client = createSseClient({
      url: server.url,
      onEvent: ({ event, data, lastEventId }) => fromOurs.push({ event, data, lastEventId }),
    });
    eventSource = new EventSource(server.url);
    const record = (event: MessageEvent) =>
      fromEventSource.push({ event: event.type, data: String(event.data), lastEventId: event.lastEventId });
    for (const type of ['tick', 'note', 'message']) eventSource.addEventListener(type, record);
    await waitFor(() => fromOurs.length === 4 && fromEventSource.length === 4, 'four events in each client');
    expect(fromOurs).toEqual(fromEventSource);
    expect(fromOurs[0]).toEqual({ event: 'tick', data: '{"n":1}', lastEventId: '1' });
    expect(fromOurs[2]).toEqual({ event: 'message', data: '""', lastEventId: '' });
  });
});
