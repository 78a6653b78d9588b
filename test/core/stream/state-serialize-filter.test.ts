/**
What library users reach for first: a typed `state` on each connection, event data
that is not a string (serialized once per send), and sends to the connections a
filter picks. Real servers and raw sockets; everything imported from the package root.
*/
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSse,
  openHistoryFileStore,
  SseArgumentError,
  SseFieldError,
  startSseServer,
  type Sse,
  type SseOptions,
} from '../../../core/index.js';
import { openRawStream, useCleanup, waitFor, type RawStream } from './support.js';

const cleanup = useCleanup();

/** An interface on purpose: a stream typed with one must still be served by startSseServer. */
interface RoomState {
  room?: string;
  seen?: number;
}

/** A served stream whose connections' `state.room` comes from `?room=`. */
async function roomStream(options: SseOptions<RoomState> = {}): Promise<{ sse: Sse<RoomState>; port: number }> {
  const sse = createSse<RoomState>({
    heartbeatMs: 0,
    onConnect(req, connection) {
      const room = new URL(req.url ?? '/', 'http://localhost').searchParams.get('room');
      if (room !== null) connection.state.room = room;
    },
    ...options,
  });
  const server = await startSseServer(0, sse, { host: '127.0.0.1' });
  cleanup(async () => {
    sse.stop();
    await server.stop();
  });
  return { sse, port: server.port };
}

/** Opens one connection per room and waits until the stream has them all. */
async function openRooms(sse: Sse<RoomState>, port: number, rooms: readonly string[]): Promise<RawStream[]> {
  const streams: RawStream[] = [];
  for (const room of rooms) {
    streams.push(openRawStream(port, { path: `/events?room=${room}`, cleanup }));
    await waitFor(() => sse.connections.length === streams.length, `connection ${streams.length}`);
  }
  return streams;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('connection state', () => {
  it('is set in onConnect, kept per connection, and seen on handles and lifecycle events', async () => {
    const { sse, port } = await roomStream();
    const rooms: Array<string | undefined> = [];
    sse.subscribe((event) => {
      if (event.type === 'connected') rooms.push(event.connection.state.room);
    });
    await openRooms(sse, port, ['a', 'b']);
    openRawStream(port, { path: '/events', cleanup });
    await waitFor(() => sse.connections.length === 3, 'the third connection');
    const [first, second, third] = sse.connections;
    expect(rooms).toEqual(['a', 'b', undefined]);
    expect(first?.state).toEqual({ room: 'a' });
    expect(second?.state).toEqual({ room: 'b' });
    expect(third?.state).toEqual({});
    expect(first?.state).not.toBe(third?.state);
    if (first !== undefined) first.state.seen = 1;
    expect(sse.connections[0]?.state.seen).toBe(1); // the same object on every read
    expect(sse.connections[2]?.state.seen).toBeUndefined();
  });
});

describe('serialize', () => {
  it('sends data that is not a string as JSON, and strings exactly as given', async () => {
    const { sse, port } = await roomStream();
    const [client] = await openRooms(sse, port, ['a']);
    const sent = sse.sendNewEvent({ event: 'cart', data: { items: 3, name: 'a "b"' }, id: true });
    sse.sendNewEvent({ data: '{"already":"json"}' });
    sse.sendNewEvent({ data: 'plain text' });
    sse.sendNewEvent({ data: 42 });
    sse.sendNewEvent({ data: null });
    await client?.until((s) => s.events.length === 5, 'five events');
    expect(client?.events.map((event) => event.data)).toEqual([
      '{"items":3,"name":"a \\"b\\""}',
      '{"already":"json"}',
      'plain text',
      '42',
      'null',
    ]);
    expect(sent.data).toBe('{"items":3,"name":"a \\"b\\""}');
    expect(sse.history.map((record) => record.data)).toEqual(['{"items":3,"name":"a \\"b\\""}']);
  });

  it('serializes for one connection and for publish too', async () => {
    const { sse, port } = await roomStream();
    const [client] = await openRooms(sse, port, ['a']);
    const handle = sse.connections[0];
    handle?.send({ data: { to: 'one' } });
    sse.sendTo(handle?.id ?? 0, { data: [1, 2] });
    const published = await sse.publish({ data: { published: true }, id: 'p-1' });
    await client?.until((s) => s.events.length === 3, 'three events');
    expect(client?.events.map((event) => event.data)).toEqual(['{"to":"one"}', '[1,2]', '{"published":true}']);
    expect(published).toMatchObject({ id: 'p-1', data: '{"published":true}' });
  });

  it('stores the serialized text in the history file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-serialize-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'events.jsonl');
    const store = openHistoryFileStore(path);
    cleanup(() => store.close());
    const sse = createSse({ store, heartbeatMs: 0 });
    sse.sendNewEvent({ data: { user: 'ada' }, id: true });
    const record: unknown = JSON.parse(readFileSync(path, 'utf8').trim().split('\n').at(-1) ?? '');
    expect(record).toMatchObject({ id: 1, data: '{"user":"ada"}' });
  });

  it('refuses what JSON cannot hold, naming data, and sends nothing', async () => {
    const { sse, port } = await roomStream();
    const [client] = await openRooms(sse, port, ['a']);
    for (const data of [
      () => 1,
      Symbol('s'),
      10n,
      (() => {
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        return cycle;
      })(),
    ]) {
      const error = thrown(() => sse.sendNewEvent({ data, id: true }));
      expect(error).toBeInstanceOf(SseArgumentError);
      expect(error).toMatchObject({ code: 'ERR_SSE_ARGUMENT', argument: 'data' });
      expect((error as Error).message).toMatch(/JSON/);
    }
    expect(sse.history).toEqual([]);
    sse.sendNewEvent({ data: 'after' });
    await client?.until((s) => s.events.length === 1, 'the next event');
    expect(client?.events.map((event) => event.data)).toEqual(['after']);
  });

  it('calls a custom serializer once per send, not per connection, and never for strings', async () => {
    const calls: unknown[] = [];
    const { sse, port } = await roomStream({
      serialize(data) {
        calls.push(data);
        return `custom:${JSON.stringify(data)}`;
      },
    });
    const clients = await openRooms(sse, port, ['a', 'b', 'c']);
    sse.sendNewEvent({ data: { n: 1 } });
    sse.sendNewEvent({ data: 'as is' });
    sse.sendNewEvent({ data: [2] }, { filter: () => true });
    for (const client of clients) {
      await client.until((s) => s.events.length === 3, 'three events');
      expect(client.events.map((event) => event.data)).toEqual(['custom:{"n":1}', 'as is', 'custom:[2]']);
    }
    expect(calls).toEqual([{ n: 1 }, [2]]);
  });

  it('refuses a serialize option that is not a function, and an answer that is not a string', () => {
    expect(() => createSse({ serialize: 'json' as unknown as (data: unknown) => string })).toThrow(
      expect.objectContaining({ code: 'ERR_SSE_ARGUMENT', argument: 'serialize' }) as Error,
    );
    const sse = createSse({ heartbeatMs: 0, serialize: () => undefined as unknown as string });
    cleanup(() => sse.stop());
    expect(() => sse.sendNewEvent({ data: {} })).toThrow(/serialize must return a string: it returned undefined/);
  });
});

describe('sendNewEvent with a filter', () => {
  it('sends only to the connections the filter picks, in order with broadcasts', async () => {
    const { sse, port } = await roomStream();
    const [a1, b1, a2] = await openRooms(sse, port, ['a', 'b', 'a']);
    sse.sendNewEvent({ data: 'everyone 1' });
    const sent = sse.sendNewEvent(
      { event: 'chat', data: { text: 'hi a' } },
      { filter: (connection) => connection.state.room === 'a' },
    );
    sse.sendNewEvent({ data: 'everyone 2' });
    expect(sent).toMatchObject({ data: '{"text":"hi a"}', event: 'chat', connectionCount: 2 });
    expect(sent.id).toBeUndefined();
    for (const client of [a1, a2]) {
      await client?.until((s) => s.events.length === 3, 'three events');
      expect(client?.events.map((event) => event.data)).toEqual(['everyone 1', '{"text":"hi a"}', 'everyone 2']);
    }
    await b1?.until((s) => s.events.length === 2, 'the two broadcasts');
    expect(b1?.events.map((event) => event.data)).toEqual(['everyone 1', 'everyone 2']);
    expect(sse.history).toEqual([]);
  });

  it('refuses an id (a filtered event is never stored), a filter that is not a function, and sends nothing when the filter throws', async () => {
    const { sse, port } = await roomStream();
    const [client] = await openRooms(sse, port, ['a', 'b']);
    const withId = thrown(() => sse.sendNewEvent({ data: 'x', id: true } as { data: string }, { filter: () => true }));
    expect(withId).toBeInstanceOf(SseFieldError);
    expect(withId).toMatchObject({ code: 'ERR_SSE_FIELD', field: 'id' });
    expect((withId as Error).message).toMatch(/never stored/);
    const notAFunction = thrown(() =>
      sse.sendNewEvent({ data: 'x' }, { filter: 'room a' } as unknown as { filter: () => boolean }),
    );
    expect(notAFunction).toMatchObject({ code: 'ERR_SSE_ARGUMENT', argument: 'filter' });
    let asked = 0;
    const broken = new Error('broken filter');
    const fromFilter = thrown(() =>
      sse.sendNewEvent(
        { data: 'half' },
        {
          filter: () => {
            asked += 1;
            if (asked === 2) throw broken;
            return true;
          },
        },
      ),
    );
    expect(fromFilter).toBe(broken);
    sse.sendNewEvent({ data: 'after' });
    await client?.until((s) => s.events.length === 1, 'the next event');
    expect(client?.events.map((event) => event.data)).toEqual(['after']);
    expect(sse.history).toEqual([]);
  });
});
