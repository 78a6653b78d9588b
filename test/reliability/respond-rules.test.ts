/**
`respond` can teach any refusal, but never one that breaks HTTP: statuses that can
neither stream nor refuse, and headers that frame the message, are refused when typed.
*/
import { describe, expect, it } from 'vitest';
import { crashSigns, startConsoleProcess, type ConsoleProcess, type LogLine } from '../support/console-process.js';
import { openStream } from './support/stream-client.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();

/** Types `respond …` and waits for its answer: an error or the policy it set. */
async function respond(proc: ConsoleProcess, args: string): Promise<LogLine> {
  const before = proc.logs.length;
  proc.type(`respond ${args}`);
  return proc.waitForLog(
    (line) =>
      proc.logs.indexOf(line) >= before &&
      line.type !== 'command' &&
      (line.kind === 'error' || String(line.text).startsWith('new connections will be answered')),
    `the answer to respond ${args}`,
  );
}

/** A new connection still streams: 200, text/event-stream, and a sent event arrives. */
async function expectStreaming(proc: ConsoleProcess, data: string): Promise<void> {
  const client = openStream(proc.ssePort, { cleanup });
  await client.until((c) => c.status !== undefined, 'the answer');
  expect(client.status).toBe(200);
  expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
  expect(client.headers['content-length']).toBeUndefined();
  await proc.waitForLog((line) => line.type === 'connected', 'the connection');
  proc.type(`send --data ${JSON.stringify(data)}`);
  await client.until((c) => c.events.some((event) => event.data === data), `the event ${data}`);
}

describe('respond refuses what cannot describe a stream or a refusal', () => {
  it.each(['100', '101', '103'])(
    'refuses status %s at parse time with the valid range',
    async (status) => {
      const proc = await startConsoleProcess([], { cleanup });
      const reply = await respond(proc, status);
      expect(reply.kind).toBe('error');
      expect(String(reply.text)).toContain(`status ${status} is an interim answer (1xx)`);
      expect(String(reply.text)).toContain('200 (stream) or 201 to 599');
      await expectStreaming(proc, `after ${status}`);
      expect(proc.logs.filter((line) => line.type === 'refused')).toEqual([]);
      expect(proc.stderr()).toBe('');
    },
    30_000,
  );

  it.each([
    ['200', 'Content-Length: 0', 'the server frames the answer itself'],
    ['200', 'Transfer-Encoding: identity', 'the server frames the answer itself'],
    ['200', 'Connection: close', 'hop-by-hop'],
    ['200', 'Upgrade: websocket', 'hop-by-hop'],
    ['200', 'Content-Type: text/html', 'cannot be set on a 200 stream'],
    ['503', 'Content-Length: 5', 'the server frames the answer itself'],
  ])(
    'refuses respond %s --header "%s" with the reason',
    async (status, header, reason) => {
      const proc = await startConsoleProcess([], { cleanup });
      const reply = await respond(proc, `${status} --header ${JSON.stringify(header)}`);
      expect(reply.kind).toBe('error');
      expect(String(reply.text)).toContain(`header ${header.split(':')[0]} cannot be set`);
      expect(String(reply.text)).toContain(reason);
      await expectStreaming(proc, `after ${header}`);
      expect(crashSigns(proc).filter((sign) => !sign.startsWith('error log: respond'))).toEqual([]);
    },
    30_000,
  );

  it('still accepts the teaching answers: 204, 401 once, 500 with Retry-After, 200 with an extra header', async () => {
    const proc = await startConsoleProcess([], { cleanup });
    for (const args of ['204', '401 --once', '500 --header "Retry-After: 5"', '200 --header X-Demo:yes']) {
      const reply = await respond(proc, args);
      expect(reply.kind, args).not.toBe('error');
    }
    const client = openStream(proc.ssePort, { cleanup });
    await client.until((c) => c.status !== undefined, 'the answer');
    expect(client.status).toBe(200);
    expect(client.headers['x-demo']).toBe('yes');
  }, 30_000);
});
