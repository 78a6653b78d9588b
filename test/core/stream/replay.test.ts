import { describe, expect, it } from 'vitest';
import { createSse } from '../../../core/stream/create-sse.js';
import type { HistoryRecord } from '../../../core/stream/types.js';
import { openRawStream, startTestStream, useCleanup } from './support.js';

const cleanup = useCleanup();

describe('replay to new connections', () => {
  it('replays every stored event, in order, as one chunk', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    for (const data of ['a', 'b', 'c']) sse.sendNewEvent({ data, id: true });
    sse.sendNewEvent({ data: 'not stored' });
    const client = openRawStream(port, { cleanup });
    await client.until((s) => s.events.length === 3, 'the replay');
    expect(client.events.map((event) => [event.id, event.data])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);
    expect(client.chunks).toHaveLength(1);
    expect(of('replayed')).toMatchObject([{ count: 3, firstId: 1, lastId: 3 }]);
  });

  it('writes retry first when retryMs is set', async () => {
    const { sse, port } = await startTestStream(cleanup, { retryMs: 1500 });
    sse.sendNewEvent({ data: 'x', id: true });
    const client = openRawStream(port, { cleanup });
    await client.until((s) => s.events.length === 1, 'the replay');
    expect(client.body.startsWith('retry: 1500\n\nid: 1\ndata: x\n\n')).toBe(true);
    expect(client.retries).toEqual([1500]);
  });

  it.each([
    ['Last-Event-ID header', { headers: { 'Last-Event-ID': '2' } }],
    ['?lastEventId= query', { path: '/events?lastEventId=2' }],
  ])('limits the replay to later ids with a %s', async (_name, request) => {
    const { sse, port, of } = await startTestStream(cleanup);
    for (const data of ['a', 'b', 'c', 'd']) sse.sendNewEvent({ data, id: true });
    const client = openRawStream(port, { ...request, cleanup });
    await client.until((s) => s.events.length === 2, 'ids 3 and 4');
    expect(client.events.map((event) => event.id)).toEqual(['3', '4']);
    expect(sse.connections[0]?.info().lastEventIdRequested).toBe('2');
    expect(of('replayed')).toMatchObject([{ count: 2, firstId: 3, lastId: 4 }]);
    expect(of('unknown-last-event-id')).toEqual([]);
  });

  it('prefers the header over the query', async () => {
    const { sse, port } = await startTestStream(cleanup);
    for (const data of ['a', 'b', 'c']) sse.sendNewEvent({ data, id: true });
    const client = openRawStream(port, { path: '/?lastEventId=1', headers: { 'Last-Event-ID': '2' }, cleanup });
    await client.until((s) => s.events.length === 1, 'id 3');
    sse.sendNewEvent({ data: 'live' });
    await client.until((s) => s.events.length === 2, 'the live event');
    expect(client.events.map((event) => event.data)).toEqual(['c', 'live']);
  });

  it('sends nothing old to a client that is up to date, and no replayed event', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    sse.sendNewEvent({ data: 'a', id: true });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': '1' }, cleanup });
    await client.until((s) => s.status === 200 && sse.connections.length === 1, 'the stream to open');
    sse.sendNewEvent({ data: 'live' });
    await client.until((s) => s.events.length === 1, 'the live event');
    expect(client.events.map((event) => event.data)).toEqual(['live']);
    expect(of('replayed')).toEqual([]);
  });

  it.each([
    ['text in the header', 'abc', 'header'],
    ['zero', '0', 'header'],
    ['a leading zero', '02', 'header'],
    ['a sign', '+2', 'query'],
    ['spaces', ' 2', 'query'],
    ['an id not issued yet', '99', 'header'],
    ['a huge number', '9'.repeat(40), 'query'],
  ])('treats %s as absent (full replay) and reports it', async (_name, value, via) => {
    const { sse, port, of } = await startTestStream(cleanup);
    for (const data of ['a', 'b']) sse.sendNewEvent({ data, id: true });
    const request =
      via === 'header'
        ? { headers: { 'Last-Event-ID': value } }
        : { path: `/?lastEventId=${encodeURIComponent(value)}` };
    const client = openRawStream(port, { ...request, cleanup });
    await client.until((s) => s.events.length === 2, 'the full replay');
    expect(of('unknown-last-event-id')).toMatchObject([{ value }]);
    expect(of('replayed')).toMatchObject([{ count: 2, firstId: 1, lastId: 2 }]);
  });

  it('survives a Last-Event-ID of any length and content, keeping a safe excerpt', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    sse.sendNewEvent({ data: 'a', id: true });
    const hostile = `\u001b[2J${'x'.repeat(9000)}`;
    const client = openRawStream(port, { path: `/?lastEventId=${encodeURIComponent(hostile)}`, cleanup });
    await client.until((s) => s.events.length === 1, 'the full replay');
    const reported = of('unknown-last-event-id')[0]?.value ?? '';
    expect(reported.startsWith('\\x1b[2J')).toBe(true);
    expect(reported).not.toContain('\u001b');
    expect(reported.length).toBeLessThan(300);
    expect(sse.connections[0]?.info().lastEventIdRequested).toBe(reported);
    expect(client.body).not.toContain('xxx'); // never echoed to the client
  });

  it('signals a gap: a comment naming the lost ids, then what remains', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { historyLimit: 3 });
    for (let i = 1; i <= 6; i += 1) sse.sendNewEvent({ data: `e${i}`, id: true });
    expect(sse.history.map((record) => record.id)).toEqual([4, 5, 6]);
    const client = openRawStream(port, { headers: { 'Last-Event-ID': '1' }, cleanup });
    await client.until((s) => s.events.length === 4, 'the reset and the remaining events');
    expect(client.comments).toEqual([
      'gap: events 2-3 are no longer in the replay log; replaying the 3 stored events after it',
    ]);
    expect(client.body.indexOf(': gap')).toBeLessThan(client.body.indexOf('id: 4'));
    expect(client.events.map((event) => event.id)).toEqual(['', '4', '5', '6']);
    expect(of('gap')).toMatchObject([{ requestedId: 1, oldestId: 4 }]);
  });

  it('sees no gap when the cursor is just before the oldest stored event', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { historyLimit: 3 });
    for (let i = 1; i <= 6; i += 1) sse.sendNewEvent({ data: `e${i}`, id: true });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': '3' }, cleanup });
    await client.until((s) => s.events.length === 3, 'ids 4-6');
    expect(client.comments).toEqual([]);
    expect(of('gap')).toEqual([]);
  });

  it("sends event: reset before the replay when the cursor was trimmed, and clears the browser's id", async () => {
    const { sse, port } = await startTestStream(cleanup, { historyLimit: 2, retryMs: 500 });
    for (let i = 1; i <= 5; i += 1) sse.sendNewEvent({ data: `e${i}`, id: true });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': '2' }, cleanup });
    await client.until((s) => s.events.length === 3, 'the reset and ids 4-5');
    sse.sendNewEvent({ data: 'live', id: true });
    await client.until((s) => s.events.length === 4, 'the live event');
    const reset = 'event: reset\ndata: {"reason":"trimmed","oldestId":4}\n\n';
    expect(client.body).toContain(`id:\n${reset}`);
    // retry, the gap comment, the reset, then the replay, then live.
    expect(client.body.indexOf(reset)).toBeGreaterThan(client.body.indexOf(': gap'));
    expect(client.body.indexOf(reset)).toBeLessThan(client.body.indexOf('id: 4'));
    expect(client.events.map((event) => [event.event ?? 'message', event.data])).toEqual([
      ['reset', '{"reason":"trimmed","oldestId":4}'],
      ['message', 'e4'],
      ['message', 'e5'],
      ['message', 'live'],
    ]);
    // Not a reset: nothing was lost (just before the oldest), or no cursor at all.
    for (const headers of [{ 'Last-Event-ID': '4' }, {}]) {
      const other = openRawStream(port, { headers, cleanup });
      await other.until((s) => s.events.length >= 1, 'the replay');
      expect(other.body).not.toContain('event: reset');
    }
  });

  it('sends no reset for a value this stream never issued: it is treated as absent', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { historyLimit: 2 });
    for (let i = 1; i <= 3; i += 1) sse.sendNewEvent({ data: `e${i}`, id: true });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': 'someone-else' }, cleanup });
    await client.until((s) => s.events.length === 2, 'the full replay');
    expect(client.body).not.toContain('reset');
    expect(of('unknown-last-event-id')).toHaveLength(1);
  });

  it('reports a gap after clearHistory too', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    for (let i = 1; i <= 4; i += 1) sse.sendNewEvent({ data: `e${i}`, id: true });
    sse.clearHistory();
    const client = openRawStream(port, { headers: { 'Last-Event-ID': '2' }, cleanup });
    await client.until((s) => s.comments.length === 1 && s.events.length === 1, 'the gap comment and the reset');
    expect(client.comments[0]).toBe(
      'gap: events 3-4 are no longer in the replay log; replaying the 0 stored events after it',
    );
    // Nothing is held: oldestId null, and the empty id line clears the client's stale cursor.
    expect(client.events).toMatchObject([{ event: 'reset', id: '', data: '{"reason":"trimmed","oldestId":null}' }]);
    expect(of('gap')).toMatchObject([{ requestedId: 2, oldestId: 5 }]);
  });
});

describe('the replay log', () => {
  it('is bounded by historyLimit while ids keep increasing', () => {
    const sse = createSse({ historyLimit: 5, heartbeatMs: 0 });
    for (let i = 0; i < 1000; i += 1) sse.sendNewEvent({ data: String(i), id: true });
    expect(sse.history.map((record) => record.id)).toEqual([996, 997, 998, 999, 1000]);
    expect(sse.nextId).toBe(1001);
    expect(Object.isFrozen(sse.history)).toBe(true);
  });

  it('defaults to 1000 events', () => {
    const sse = createSse({ heartbeatMs: 0 });
    for (let i = 0; i < 1005; i += 1) sse.sendNewEvent({ data: '', id: true });
    expect(sse.history).toHaveLength(1000);
    expect(sse.history[0]?.id).toBe(6);
  });

  it('starts from initialHistory and continues its ids', async () => {
    const initialHistory: HistoryRecord[] = [
      { id: 7, data: 'restored', event: 'note', storedAt: 1 },
      { id: 9, data: 'also restored', storedAt: 2 },
    ];
    const { sse, port } = await startTestStream(cleanup, { initialHistory });
    expect(sse.nextId).toBe(10);
    expect(sse.sendNewEvent({ data: 'new', id: true }).id).toBe(10);
    const client = openRawStream(port, { cleanup });
    await client.until((s) => s.events.length === 3, 'the replay');
    expect(client.events).toEqual([
      { id: '7', event: 'note', data: 'restored' },
      { id: '9', event: undefined, data: 'also restored' },
      { id: '10', event: undefined, data: 'new' },
    ]);
  });

  it('replaceHistory and clearHistory report the change; ids continue after the last', () => {
    const sse = createSse({ heartbeatMs: 0 });
    const changes: Array<[number, number]> = [];
    sse.subscribe((event) => {
      if (event.type === 'history-changed') changes.push([event.size, event.nextId]);
    });
    sse.sendNewEvent({ data: 'a', id: true });
    sse.replaceHistory([
      { id: 20, data: 'x', storedAt: 0 },
      { id: 30, data: 'y', storedAt: 0 },
    ]);
    expect(sse.nextId).toBe(31);
    sse.clearHistory();
    expect(sse.nextId).toBe(31);
    expect(sse.history).toEqual([]);
    expect(changes).toEqual([
      [1, 2],
      [2, 31],
      [0, 31],
    ]);
    // Insertion order, whatever the ids; the counter only moves forward.
    sse.replaceHistory([
      { id: 5, data: '', storedAt: 0 },
      { id: 4, data: '', storedAt: 0 },
    ]);
    expect(sse.history.map((record) => record.id)).toEqual([5, 4]);
    expect(sse.nextId).toBe(31);
  });

  it('calls persist with the record before any socket write, and stores nothing if it throws', async () => {
    const persisted: Array<{ id: number | string; bytesSentBefore: number }> = [];
    let failNext = false;
    let readBytesSent = (): number => 0;
    const { sse, port } = await startTestStream(cleanup, {
      persist: (record) => {
        if (failNext) throw new Error('disk full');
        persisted.push({ id: record.id, bytesSentBefore: readBytesSent() });
      },
    });
    const client = openRawStream(port, { cleanup });
    await client.until((s) => s.status === 200 && sse.connections.length === 1, 'the stream');
    readBytesSent = () => sse.connections[0]?.info().bytesSent ?? -1;
    const sent = sse.sendNewEvent({ data: 'kept', id: true });
    expect(persisted).toEqual([{ id: 1, bytesSentBefore: 0 }]);
    expect(sent.id).toBe(1);
    await client.until((s) => s.events.length === 1, 'the stored event');

    failNext = true;
    expect(() => sse.sendNewEvent({ data: 'lost', id: true })).toThrow('disk full');
    expect(sse.nextId).toBe(2);
    expect(sse.history.map((record) => record.data)).toEqual(['kept']);
    sse.sendNewEvent({ data: 'marker' });
    await client.until((s) => s.events.length === 2, 'the marker');
    expect(client.events.map((event) => event.data)).toEqual(['kept', 'marker']);
  });
});
