import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { startSseServer } from '../../../core/http/sse-server.js';
import { urlHost } from '../../../core/http/url-host.js';
import { createSse } from '../../../core/stream/create-sse.js';
import { fetchOnce, openRawStream, startTestStream, useCleanup, waitFor } from '../stream/support.js';

const cleanup = useCleanup();

/** True if a new listener can bind the port right now. */
function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1' }, () => probe.close(() => resolve(true)));
  });
}

describe('startSseServer', () => {
  it('listens on 127.0.0.1 by default and reports its URL', async () => {
    const { server } = await startTestStream(cleanup);
    expect(server.host).toBe('127.0.0.1');
    expect(server.requestedPort).toBe(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect((server.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
    expect(urlHost('::')).toBe('[::1]');
  });

  it('moves to the next free port with portFallback, and refuses a busy one without it', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const first = await startSseServer(0, sse);
    cleanup(() => first.stop());
    const error = await startSseServer(first.port, sse).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      new RegExp(`^Port ${first.port} on 127.0.0.1 is already in use .* or port 0`),
    );
    const second = await startSseServer(first.port, sse, { portFallback: true });
    cleanup(() => second.stop());
    expect(second.requestedPort).toBe(first.port);
    expect(second.port).not.toBe(first.port);
    // One stream, served by both listeners.
    const a = openRawStream(first.port, { cleanup });
    const b = openRawStream(second.port, { cleanup });
    await waitFor(() => sse.connections.length === 2, 'a stream on each listener');
    sse.sendNewEvent({ data: 'both' });
    await a.until((s) => s.events.length === 1, 'the event on the first');
    await b.until((s) => s.events.length === 1, 'the event on the second');
  });

  it('stop() ends its streams, frees the port and leaves the stream usable', async () => {
    const sse = createSse({ heartbeatMs: 0 });
    const reasons: string[] = [];
    sse.subscribe((event) => {
      if (event.type === 'disconnected') reasons.push(event.reason);
    });
    const server = await startSseServer(0, sse);
    const other = await startSseServer(0, sse);
    cleanup(() => other.stop());
    const mine = openRawStream(server.port, { cleanup });
    const theirs = openRawStream(other.port, { cleanup });
    await waitFor(() => sse.connections.length === 2, 'two streams');
    sse.sendNewEvent({ data: 'before stop', id: true });

    const stopping = server.stop();
    expect(server.stop()).toBe(stopping); // twice is the same stop
    await stopping;
    await mine.until((s) => s.closed, 'the stream on the stopped listener to close');
    expect(mine.events.map((event) => event.data)).toEqual(['before stop']);
    expect(mine.ended).toBe(true);
    expect(reasons).toEqual(['stopped']);
    expect(server.server.listening).toBe(false);
    expect(await portIsFree(server.port)).toBe(true);

    // The other listener and the stream go on.
    sse.sendNewEvent({ data: 'after stop' });
    await theirs.until((s) => s.events.length === 2, 'the other stream to go on');
    expect(sse.connections).toHaveLength(1);
  });

  it('answers a malformed request with 400 and keeps serving', async () => {
    const { port, sse } = await startTestStream(cleanup);
    const streaming = openRawStream(port, { cleanup });
    await waitFor(() => sse.connections.length === 1, 'a stream');
    const garbage = openRawStream(port, { method: 'NOT A REQUEST', path: '\u0001', cleanup });
    await garbage.until((s) => s.closed, 'the bad request to be answered and closed');
    expect(garbage.rawText).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(garbage.rawText).toContain('Connection: close');
    const huge = openRawStream(port, { headers: { 'X-Big': 'y'.repeat(40_000) }, cleanup });
    await huge.until((s) => s.closed, 'the oversized request to be answered');
    expect(huge.rawText).toMatch(/^HTTP\/1\.1 431 /);

    const fine = await fetchOnce(port, { method: 'HEAD' });
    expect(fine.status).toBe(200);
    sse.sendNewEvent({ data: 'still here' });
    await streaming.until((s) => s.events.length === 1, 'the stream to go on');
  });

  it('request timeouts cut a client that never finishes its request, never an open stream', async () => {
    const timeouts = { headersTimeoutMs: 200, requestTimeoutMs: 300, connectionsCheckingIntervalMs: 50 };
    const { sse, port } = await startTestStream(cleanup, { heartbeatMs: 50 }, timeouts);
    const stream = openRawStream(port, { cleanup });
    await stream.until((s) => s.status === 200, 'the stream');
    const openedAt = Date.now();

    // Headers that never end: cut by headersTimeout with a 408.
    const stalled = openRawStream(port, {
      requestText: 'GET /events HTTP/1.1\r\nHost: x\r\nX-Still-Typing: ',
      cleanup,
    });
    await stalled.until((s) => s.closed, 'the stalled request to be cut', 15_000);
    expect(stalled.rawText).toMatch(/^HTTP\/1\.1 408 /);

    // Let the stream outlive both limits by a margin, then check it still works.
    const limit = timeouts.requestTimeoutMs + 4 * timeouts.connectionsCheckingIntervalMs;
    await waitFor(() => Date.now() - openedAt > limit, 'the stream to outlive the request timeout');
    const heartbeats = stream.comments.length;
    await stream.until((s) => s.comments.length > heartbeats, 'a heartbeat after the limit');
    sse.sendNewEvent({ data: 'alive' });
    await stream.until((s) => s.events.length === 1, 'an event after the limit');
    expect(stream.ended).toBe(false);
    expect(stream.closed).toBe(false);
  });
});

describe('process lifetime', () => {
  it('a process exits by itself once stop() has resolved', async () => {
    // Build the core into a temporary folder (with the project's node_modules linked,
    // for the terminal-text module's string-width) and run a real process that serves
    // a stream, stops, and then must simply end.
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const out = await mkdtemp(join(tmpdir(), 'sse-core-'));
    cleanup(() => rm(out, { recursive: true, force: true }));
    await symlink(join(root, 'node_modules'), join(out, 'node_modules'));
    for (const folder of ['core/errors', 'core/wire', 'core/history', 'core/stream', 'core/http', 'core/terminal']) {
      for (const name of await readdir(join(root, folder))) {
        if (!name.endsWith('.ts')) continue;
        const source = await readFile(join(root, folder, name), 'utf8');
        const { outputText } = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
        });
        const target = join(out, folder, name.replace(/\.ts$/, '.js'));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, outputText);
      }
    }
    await writeFile(join(out, 'package.json'), '{"type":"module"}');
    const script = join(out, 'run.js');
    await writeFile(
      script,
      `import { connect } from 'node:net';
import { createSse } from './core/stream/create-sse.js';
import { startSseServer } from './core/http/sse-server.js';
const sse = createSse({ heartbeatMs: 20 });
const server = await startSseServer(0, sse);
const socket = connect(server.port, '127.0.0.1');
socket.on('error', () => {});
socket.write('GET /events HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n');
let text = '';
socket.on('data', async (data) => {
  text += data;
  if (text.includes(': heartbeat') && !text.includes('data: hello')) sse.sendNewEvent({ data: 'hello', id: true });
  if (text.includes('data: hello') && !globalThis.stopping) {
    globalThis.stopping = true;
    await server.stop();
    console.log('stopped', sse.connections.length);
  }
});
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let code: number | null | undefined;
    void exit.then((value) => (code = value));
    await waitFor(
      () => code !== undefined,
      `the process to exit by itself (stdout ${JSON.stringify(stdout)}, stderr ${JSON.stringify(stderr)})`,
      15_000,
    );
    expect(stderr).toBe('');
    expect(stdout).toBe('stopped 0\n');
    expect(code).toBe(0);
  });
});
