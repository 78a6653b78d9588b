import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { runConnect } from '../../../../cli/connect.js';
import { startConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { openRawStream, useCleanup, waitFor } from '../../stream/support.js';

const cleanup = useCleanup();

/**
What a page's EventSource ends up with after these bytes, by an independent parser:
each event's lastEventId, and the last event ID string it would send on reconnect
(eventsource-parser reports every id-bearing block through onId, as the spec sets the
buffer for each one, with or without data).
*/
function asABrowserSeesIt(body: string): { events: [string, string][]; lastEventId: string } {
  let lastEventId = '';
  const events: [string, string][] = [];
  const parser = createParser({
    onId: (id) => {
      lastEventId = id;
    },
    onEvent: (event) => events.push([event.data, lastEventId]),
  });
  parser.feed(body);
  return { events, lastEventId };
}

/** A server that sends `body` once as an event stream and ends it. */
async function originalServer(body: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
}

async function record(url: string, file: string): Promise<void> {
  const out = new PassThrough().resume();
  const code = await runConnect([url, '--record', file, '--no-reconnect'], { stdout: out, stderr: out, env: {} });
  expect(code).toBe(0);
}

describe('connect --record then replay keeps every id-bearing block', () => {
  const streams: [string, string][] = [
    ['a block with only an id moves the last event ID', 'id: 1\ndata: one\n\nid: 9\n\ndata: two\n\n'],
    ['an empty id: on an event clears it', 'id: 1\ndata: one\n\nid:\ndata: two\n\n'],
    ['an empty id: alone clears it', 'id: 1\ndata: one\n\nid\n\n'],
    ['ids only, one after another', 'id: a\ndata: one\n\nid: b\n\nid: c\n\ndata: two\n\nid:\n\nid: d\n\n'],
  ];

  for (const [name, body] of streams) {
    it(`${name}: a page resumes from the same Last-Event-ID after the replay as after the original`, async () => {
      const original = asABrowserSeesIt(body);
      const dir = mkdtempSync(join(tmpdir(), 'sse-console-ids-'));
      cleanup(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'stream.jsonl');
      await record(await originalServer(body), file);

      const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
      cleanup(() => running.controller.dispose());
      const log: LogEntry[] = [];
      running.controller.onLog((entry) => log.push(entry));
      const url = new URL(running.sseUrl);
      const page = openRawStream(Number(url.port), { path: url.pathname, cleanup });
      await waitFor(() => running.sse.connections.length === 1, 'the page to connect');
      running.controller.execute(`replay ${file} --speed 1000`);
      await waitFor(
        () => log.some((entry) => entry.kind === 'job' && entry.text.includes('finished')),
        `the replay to finish (recording: ${readFileSync(file, 'utf8')})`,
      );
      await page.until((stream) => stream.events.length === original.events.length, 'every replayed event');
      // The last block may be id-only: wait until the bytes say what the original said.
      await waitFor(() => asABrowserSeesIt(page.body).lastEventId === original.lastEventId, 'the same last event ID');
      const replayed = asABrowserSeesIt(page.body);
      expect(replayed.events).toEqual(original.events);
      expect(replayed.lastEventId).toBe(original.lastEventId);
    });
  }
});
