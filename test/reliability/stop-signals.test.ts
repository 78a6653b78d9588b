/**
`timeout 60 sse-console connect URL --record FILE`, a process manager or a plain `kill`
stops a run with SIGTERM. It must end the way Ctrl+C does: the connection closed, the
summary printed, a recording closed (nothing arrived: no file and no temporary file
left behind; something arrived: every line on disk), exit 143.
*/
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startConnect, startSubcommand } from './support/connect-process.js';
import { useCleanup, waitFor } from '../support/wait.js';

const cleanup = useCleanup();

/** A stream that sends `events` at once and then stays open. */
async function streamServer(events: readonly string[]): Promise<string> {
  const open = new Set<ServerResponse>();
  const server = createServer((_request, response) => {
    open.add(response);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write(events.map((data, index) => `id: ${index + 1}\ndata: ${data}\n\n`).join('') || ': open\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(async () => {
    for (const response of open) response.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
}

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sse-console-stop-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('SIGTERM ends connect like Ctrl+C', () => {
  it('before any event: the summary says terminated, exit 143, no file and no temporary file left', async () => {
    const url = await streamServer([]);
    const dir = workDir();
    const run = startConnect([url, '--json', '--record', join(dir, 'stream.jsonl')], cleanup);
    await waitFor(() => jsonLines(run.stdout()).some((line) => line.type === 'open'), 'the stream to open');
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    expect(exit).toEqual({ code: 143, signal: null });
    const closed = jsonLines(run.stdout()).find((line) => line.type === 'closed');
    expect(closed).toMatchObject({ reason: 'interrupted', message: 'terminated (SIGTERM)', exitCode: 143 });
    expect(readdirSync(dir)).toEqual([]);
    expect(run.stderr()).not.toMatch(/Error|at /);
  });

  it('after events: every event is in the recording, exit 143', async () => {
    const url = await streamServer(['one', 'two']);
    const dir = workDir();
    const file = join(dir, 'stream.jsonl');
    const run = startConnect([url, '--json', '--record', file], cleanup);
    await waitFor(() => jsonLines(run.stdout()).filter((line) => line.type === 'event').length === 2, 'two events');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
    expect(readdirSync(dir)).toEqual(['stream.jsonl']);
    const recorded = jsonLines(readFileSync(file, 'utf8')).map(({ id, data }) => ({ id, data }));
    expect(recorded).toEqual([
      { id: '1', data: 'one' },
      { id: '2', data: 'two' },
    ]);
  });
});

describe('SIGTERM ends doctor like Ctrl+C', () => {
  it('reports what was seen and exits 143', async () => {
    const url = await streamServer(['one']);
    const run = startSubcommand(['doctor', url, '--duration', '60s'], cleanup);
    await waitFor(() => run.stderr().includes('watching'), 'the watch to start');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
    expect(run.stdout()).toMatch(/connect/i);
  });
});
