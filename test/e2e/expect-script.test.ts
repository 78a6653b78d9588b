import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import { startConsoleProcess } from '../support/console-process.js';
import { binaryPath } from '../support/project-root.js';
import { useCleanup, waitFor } from '../support/wait.js';

// A lesson that is a test: the built binary runs `--no-tui --script FILE` with `expect` lines,
// a real EventSource client connects, and the exit status is the verdict.

const cleanup = useCleanup();

function scriptFile(lines: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sse-expect-e2e-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'lesson-test.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** An EventSource on `url` that records the data of its messages. */
function client(url: string): { data: string[] } {
  const received: string[] = [];
  const source = new EventSource(url);
  source.addEventListener('message', (event) => received.push(String(event.data)));
  cleanup(() => source.close());
  return { data: received };
}

describe('expect in a --script run by the binary', () => {
  it('passes: a client connects, gets Hello, reconnects with Last-Event-ID 1; exit 0', async () => {
    const file = scriptFile([
      '# A test of the stream: one client, one event, one reconnect',
      'wait connections 1',
      'expect connections 1',
      'expect event --data Hello within 2s',
      'send Hello',
      'wait expectations',
      'send --id --data one --retry 100',
      'expect reconnect --last-event-id 1 within 5s',
      'close all',
    ]);
    const running = await startConsoleProcess(['--script', file], { cleanup });
    await running.waitForRecord(
      'the wait for a client',
      (r) => r.type === 'narration' && /^waiting for 1/.test(r.text),
    );
    const tab = client(running.sseUrl);
    const exit = await running.exited;
    expect(running.stderr()).toBe('');
    expect(exit.code).toBe(0);
    expect(tab.data).toEqual(['Hello', 'one']);
    expect(running.recordsOfType('expectation').filter((r) => r.result !== 'waiting')).toEqual([
      expect.objectContaining({ result: 'passed', expected: '1 open connection now', origin: `${file}:3` }),
      expect.objectContaining({ result: 'passed', expected: 'an event with data "Hello" sent on /events within 2s' }),
      expect.objectContaining({ result: 'passed', expected: 'a reconnect with Last-Event-ID "1" within 5s' }),
    ]);
    expect(running.recordsOfType('script').at(-1)).toMatchObject({
      state: 'finished',
      expectations: { passed: 3, failed: 0 },
    });
    expect(running.logs.map((line) => line.text)).toContain('all 3 expectations passed: exiting with status 0');
  });

  it('fails: says what was expected and seen, how many failed, and exits 1 (human line mode)', async () => {
    const file = scriptFile([
      'wait connections 1',
      'expect event --data Hello within 2s',
      'send Hullo',
      'expect connections 2 within 300ms',
    ]);
    const home = mkdtempSync(join(tmpdir(), 'sse-expect-home-'));
    cleanup(() => rmSync(home, { recursive: true, force: true }));
    const child = spawn(
      process.execPath,
      [binaryPath, '--no-tui', '--port', '0', '--sse-port', '0', '--heartbeat', '0', '--script', file],
      { cwd: home, env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: join(home, 'state') } },
    );
    cleanup(() => child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const sseUrl = await waitFor(() => /SSE stream on (\S+),/.exec(stdout)?.[1], 'the listening line');
    client(sseUrl);
    expect(await exited).toBe(1);
    expect(stdout).toContain(
      `expectation failed (${file}:2): expected an event with data "Hello" sent on /events within 2s; saw 1 event sent, none matching (last: data "Hullo")`,
    );
    expect(stdout).toContain(`expectation failed (${file}:4): expected 2 open connections within 300ms; saw 1 open`);
    expect(stdout).toContain(`script ${file} finished: 2 of 2 expectations failed`);
    expect(stdout).toContain('2 of 2 expectations failed: exiting with status 1');
  });
});
