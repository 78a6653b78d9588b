/**
Another web page must not drive the console, even without --token: a cross-site
POST (a "simple" text/plain request the browser sends without asking) and a
DNS-rebinding page (its own name in Host, pointed at 127.0.0.1) are refused, with
a one-line reason that the console logs.
*/
import { describe, expect, it } from 'vitest';
import { startConsoleProcess, type ConsoleProcess } from '../support/console-process.js';
import { fetchHead, fetchOnce } from './support/raw-http.js';
import { openStream } from './support/stream-client.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();

function toggle(proc: ConsoleProcess, headers: Record<string, string>) {
  return fetchOnce(`http://127.0.0.1:${proc.pagePort}/api/toggles/one`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', ...headers },
    body: 'x',
  });
}

describe('POST endpoints refuse requests from other sites', () => {
  it.each([
    [
      'a foreign Origin with Sec-Fetch-Site: cross-site',
      { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    ],
    ['a foreign Origin alone (a browser without Fetch Metadata)', { Origin: 'http://evil.example' }],
    ['Sec-Fetch-Site: cross-site alone', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Origin null (a sandboxed frame, a file: page)', { Origin: 'null' }],
    ['a local name on https (another local app)', { Origin: 'https://localhost:3000' }],
    ['another local app (same site, another port)', { Origin: 'http://localhost:3000', 'Sec-Fetch-Site': 'same-site' }],
  ])(
    'refuses %s with 403 and a one-line reason, logged, and broadcasts nothing',
    async (_what, headers) => {
      const proc = await startConsoleProcess([], { cleanup });
      const watcher = openStream(proc.ssePort, { cleanup });
      await proc.waitForLog((line) => line.type === 'connected', 'the watcher');
      const answer = await toggle(proc, headers);
      expect(answer.status).toBe(403);
      expect(answer.body.trimEnd().split('\n')).toHaveLength(1);
      expect(answer.body).toMatch(/may not change state here/);
      const logged = await proc.waitForLog(
        (line) => line.type === 'page' && line.status === 403,
        'the refusal in the log',
      );
      expect(String(logged.text)).toMatch(/^POST \/api\/toggles\/one 403 from \S+: .*may not change state here/);
      // The same socket order: a later allowed send arrives, and no toggles event before it.
      proc.type('send --data after');
      await watcher.until((c) => c.events.some((event) => event.data === 'after'), 'the later event');
      expect(watcher.events.filter((event) => event.event === 'toggles')).toEqual([]);
    },
    30_000,
  );

  it('accepts the pages’ own origin, an origin allowed with --cors, and clients that send no Origin', async () => {
    const proc = await startConsoleProcess(['--cors', 'http://localhost:3000'], { cleanup });
    const pagesOrigin = new URL(proc.pagesUrl).origin;
    for (const headers of [
      { Origin: pagesOrigin, 'Sec-Fetch-Site': 'same-origin' },
      { Origin: `http://localhost:${proc.pagePort}`, 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'http://localhost:3000', 'Sec-Fetch-Site': 'same-site' },
      {},
    ]) {
      const answer = await toggle(proc, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(200);
    }
  }, 30_000);
});

describe('DNS rebinding: a Host the listener does not serve is refused', () => {
  it('answers a stream request under a foreign name 403, logged, and streams under local names', async () => {
    const proc = await startConsoleProcess([], { cleanup });
    const foreign = `evil.example:${proc.ssePort}`;
    const refused = await fetchOnce(`http://127.0.0.1:${proc.ssePort}/events`, {
      headers: { Host: foreign, Origin: `http://${foreign}` },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).not.toMatch(/event-stream/);
    expect(refused.body).toMatch(/Host "evil\.example:\d+" is not a name this listener serves/);
    const logged = await proc.waitForLog((line) => line.type === 'refused', 'the refusal in the log');
    expect(String(logged.text)).toMatch(/with 403: Host "evil\.example:\d+" is not a name this listener serves/);
    expect(proc.count('connected')).toBe(0);

    for (const host of [`localhost:${proc.ssePort}`, `127.0.0.1:${proc.ssePort}`]) {
      const ok = await fetchHead(`http://127.0.0.1:${proc.ssePort}/events`, { Host: host });
      expect(ok.status, host).toBe(200);
      expect(ok.headers['content-type'], host).toMatch(/^text\/event-stream/);
    }
  }, 30_000);

  it('refuses a POST from a rebinding page (its own name in Host and Origin)', async () => {
    const proc = await startConsoleProcess([], { cleanup });
    const foreign = `evil.example:${proc.pagePort}`;
    const answer = await toggle(proc, { Host: foreign, Origin: `http://${foreign}`, 'Sec-Fetch-Site': 'same-origin' });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/is not a name this listener serves/);
  }, 30_000);
});
