import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runConnect } from '../../cli/connect.js';

// `connect` reports time to first event: a real server that answers at once and sends
// its first event FIRST_EVENT_DELAY_MS later (an LLM thinking), then drops and is reconnected.

const FIRST_EVENT_DELAY_MS = 200;
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function slowFirstEventServer(): Promise<string> {
  let requests = 0;
  const server = createServer((_req, res: ServerResponse) => {
    requests += 1;
    const attempt = requests;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write('retry: 100\n\n');
    setTimeout(() => {
      res.write(`data: first of ${attempt}\n\ndata: second of ${attempt}\n\n`);
      // The first connection is dropped after its events; the reconnect stays.
      if (attempt === 1) res.end();
    }, FIRST_EVENT_DELAY_MS);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.resume();
  return { io: { stdout, stderr, env: { NO_COLOR: '1' } }, stdout: () => out };
}

describe('connect: time to first event', () => {
  it('--json: a first-event record before each connection first event, from the request', async () => {
    const url = await slowFirstEventServer();
    const out = capture();
    expect(await runConnect([url, '--json', '--max-events', '4'], out.io)).toBe(0);
    const records = out
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const types = records.map(
      (record) => `${String(record.type)}${record.type === 'event' ? `:${String(record.data)}` : ''}`,
    );
    expect(types.filter((type) => type !== 'retry')).toEqual([
      'open',
      'first-event',
      'event:first of 1',
      'event:second of 1',
      'reconnecting',
      'open',
      'first-event',
      'event:first of 2',
      'event:second of 2',
      'closed',
    ]);
    const timings = records.filter((record) => record.type === 'first-event');
    expect(timings.map((record) => record.attempt)).toEqual([1, 2]);
    for (const timing of timings) {
      const ms = Number(timing.ms);
      const openMs = Number(timing.openMs);
      // The server held the first event back FIRST_EVENT_DELAY_MS after answering.
      expect(ms).toBeGreaterThanOrEqual(FIRST_EVENT_DELAY_MS - 5);
      expect(ms).toBeLessThan(FIRST_EVENT_DELAY_MS + 2000);
      expect(openMs).toBeGreaterThanOrEqual(0);
      // The response opened at once; the wait was for the event (the client sees the 200 a little after the server's timer started).
      expect(openMs).toBeLessThan(ms - FIRST_EVENT_DELAY_MS / 2);
    }
  });

  it('human output: says it once per connection, before the event', async () => {
    const url = await slowFirstEventServer();
    const out = capture();
    expect(await runConnect([url, '--max-events', '2', '--no-color'], out.io)).toBe(0);
    const lines = out.stdout().split('\n');
    const at = lines.findIndex((line) =>
      / first event after \d+ ms \(request to first event; the response opened after \d+ ms\)$/.test(line),
    );
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1).join('\n')).toContain('first of 1');
    expect(lines.filter((line) => line.includes('first event after'))).toHaveLength(1);
  });
});
