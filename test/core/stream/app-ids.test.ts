import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistoryFile, writeHistoryFile } from '../../../core/history-file/history-file-io.js';
import { parseHistoryText } from '../../../core/history-file/history-file.js';
import { createSse } from '../../../core/stream/create-sse.js';
import { openEventSource, openRawStream, startTestStream, useCleanup, waitFor } from './support.js';

const cleanup = useCleanup();

const UUID_1 = '0b5e6a4e-8f1c-4a1e-9a53-3c2f9d7e1a01';
const UUID_2 = '0b5e6a4e-8f1c-4a1e-9a53-3c2f9d7e1a02';
const UUID_3 = '0b5e6a4e-8f1c-4a1e-9a53-3c2f9d7e1a03';

describe('application-owned ids (sendNewEvent({ id: string | number }))', () => {
  it('stores UUIDs, and a browser (the eventsource client) that reconnects with one gets only what followed it', async () => {
    let letIn: (() => void) | undefined;
    let hold = false;
    const { sse, port, of } = await startTestStream(cleanup, {
      retryMs: 10,
      // Holds the reconnect open until the events it missed are stored.
      onConnect: () => (hold ? new Promise<void>((resolve) => (letIn = resolve)) : undefined),
    });
    const tab = openEventSource(`http://127.0.0.1:${port}/`, cleanup);
    await waitFor(() => sse.connections.length === 1, 'the tab to connect');
    expect(sse.sendNewEvent({ id: UUID_1, data: 'one' }).id).toBe(UUID_1);
    sse.sendNewEvent({ id: UUID_2, data: 'two' });
    await waitFor(() => tab.messages.length === 2, 'two live events');
    expect(tab.messages.map((message) => message.lastEventId)).toEqual([UUID_1, UUID_2]);
    hold = true;
    sse.closeAll();
    await waitFor(() => letIn !== undefined, 'the reconnect');
    sse.sendNewEvent({ id: UUID_3, data: 'three' });
    sse.sendNewEvent({ id: true, data: 'four' });
    letIn?.();
    await waitFor(() => tab.messages.length === 4, 'the replay after the reconnect');
    expect(tab.data()).toEqual(['one', 'two', 'three', 'four']);
    expect(tab.messages.map((message) => message.lastEventId).slice(2)).toEqual([UUID_3, '1']);
    expect(of('connected')[1]?.info.lastEventIdRequested).toBe(UUID_2);
    expect(of('replayed').at(-1)).toMatchObject({ count: 2, firstId: UUID_3, lastId: 1 });
    expect(of('unknown-last-event-id')).toEqual([]);
    expect(sse.history.map((record) => record.id)).toEqual([UUID_1, UUID_2, UUID_3, 1]);
  });

  it('numeric app ids are sent in decimal; one above the counter moves it past, a smaller one leaves it', async () => {
    const { sse, port } = await startTestStream(cleanup);
    sse.sendNewEvent({ id: true, data: 'a' }); // 1
    sse.sendNewEvent({ id: 500, data: 'b' });
    expect(sse.nextId).toBe(501);
    sse.sendNewEvent({ id: 7, data: 'c' }); // below the counter: stored, counter unchanged
    expect(sse.nextId).toBe(501);
    sse.sendNewEvent({ id: '900', data: 'd' }); // a decimal string is the same id on the wire
    expect(sse.nextId).toBe(901);
    expect(sse.sendNewEvent({ id: true, data: 'e' }).id).toBe(901);
    const client = openRawStream(port, { headers: { 'Last-Event-ID': '500' }, cleanup });
    await client.until((stream) => stream.events.length === 3, 'the events stored after 500');
    expect(client.events.map((event) => [event.id, event.data])).toEqual([
      ['7', 'c'],
      ['900', 'd'],
      ['901', 'e'],
    ]);
    expect(client.body).toContain('id: 7\n');
  });

  it('an id stored twice: the newer wins (a cursor naming it resumes after the newer event)', async () => {
    const { sse, port } = await startTestStream(cleanup);
    sse.sendNewEvent({ id: 'x', data: 'first x' });
    sse.sendNewEvent({ id: 'y', data: 'y' });
    sse.sendNewEvent({ id: 'x', data: 'second x' });
    sse.sendNewEvent({ id: 'z', data: 'z' });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': 'x' }, cleanup });
    await client.until((stream) => stream.events.length === 1, 'the event after the newer x');
    expect(client.events.map((event) => event.data)).toEqual(['z']);
    expect(sse.history.map((record) => record.data)).toEqual(['first x', 'y', 'second x', 'z']);
  });

  it('an unknown string cursor gets the whole log and is reported', async () => {
    const { sse, port, of } = await startTestStream(cleanup);
    sse.sendNewEvent({ id: 'a', data: 'a' });
    sse.sendNewEvent({ id: 'b', data: 'b' });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': 'never-sent' }, cleanup });
    await client.until((stream) => stream.events.length === 2, 'the whole log');
    await waitFor(() => of('unknown-last-event-id').length === 1, 'the report');
    expect(of('unknown-last-event-id')[0]?.value).toBe('never-sent');
    expect(of('gap')).toEqual([]);
  });

  it('a string cursor older than the log is a gap: the client is told and gets every stored event', async () => {
    const { sse, port, of } = await startTestStream(cleanup, { historyLimit: 2 });
    for (const id of ['a', 'b', 'c', 'd']) sse.sendNewEvent({ id, data: id });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': 'a' }, cleanup });
    await client.until((stream) => stream.events.length === 3, 'the reset and the stored events');
    expect(client.events.map((event) => [event.event, event.id])).toEqual([
      ['reset', ''],
      [undefined, 'c'],
      [undefined, 'd'],
    ]);
    expect(JSON.parse(client.events[0]?.data ?? '')).toEqual({ reason: 'trimmed', oldestId: 'c' });
    expect(client.comments).toEqual([
      'gap: events after a are no longer in the replay log; replaying the 2 stored events',
    ]);
    expect(of('gap')).toMatchObject([{ requestedId: 'a', oldestId: 'c' }]);
    expect(of('unknown-last-event-id')).toEqual([]);
    // The id just before the oldest lost nothing: no gap.
    const next = openRawStream(port, { headers: { 'Last-Event-ID': 'b' }, cleanup });
    await next.until((stream) => stream.events.length === 2, 'the stored events');
    expect(next.comments).toEqual([]);
  });

  it('a numeric cursor older than the log is still a gap with its id range (the counter rule)', async () => {
    const { sse, port } = await startTestStream(cleanup, { historyLimit: 2 });
    for (let n = 0; n < 5; n += 1) sse.sendNewEvent({ id: true, data: `e${n + 1}` });
    const client = openRawStream(port, { headers: { 'Last-Event-ID': '1' }, cleanup });
    await client.until((stream) => stream.events.length === 3, 'the reset and the stored events');
    expect(client.events[0]).toMatchObject({ event: 'reset', data: '{"reason":"trimmed","oldestId":4}' });
    expect(client.comments).toEqual([
      'gap: events 2-3 are no longer in the replay log; replaying the 2 stored events after it',
    ]);
  });

  it('a history file keeps string and numeric ids, and a stream restored from it replays after a string id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-app-ids-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const first = createSse({ heartbeatMs: 0 });
    first.sendNewEvent({ id: UUID_1, data: 'one' });
    first.sendNewEvent({ id: 41, data: 'two' });
    first.sendNewEvent({ id: true, data: 'three' });
    const file = join(dir, 'h.jsonl');
    writeHistoryFile(file, first.history, first.nextId);
    first.stop();
    expect(readFileSync(file, 'utf8')).toContain(`"id":"${UUID_1}"`);
    const parsed = parseHistoryText(readFileSync(file, 'utf8'));
    expect(parsed.records.map((record) => record.id)).toEqual([UUID_1, 41, 42]);
    expect(parsed.nextId).toBe(43);
    const loaded = readHistoryFile(file, {});
    const { sse, port } = await startTestStream(cleanup, {
      initialHistory: loaded.records,
      initialNextId: loaded.nextId,
    });
    expect(sse.nextId).toBe(43);
    const client = openRawStream(port, { headers: { 'Last-Event-ID': UUID_1 }, cleanup });
    await client.until((stream) => stream.events.length === 2, 'the events after the UUID');
    expect(client.events.map((event) => [event.id, event.data])).toEqual([
      ['41', 'two'],
      ['42', 'three'],
    ]);
  });

  it('reads history files of the earlier format (numbers only, with a nextId line)', () => {
    const parsed = parseHistoryText(
      '{"id":1,"data":"a","storedAt":0}\n{"nextId":10}\n{"id":"k","data":"b","storedAt":0}\n',
    );
    expect(parsed.records.map((record) => record.id)).toEqual([1, 'k']);
    expect(parsed.problems).toEqual([]);
    expect(parsed.nextId).toBe(10);
  });
});
