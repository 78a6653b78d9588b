import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordingFile } from '../../../../core/app/console/recording-file.js';
import { startConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { openEventSource, openRawStream, useCleanup, waitFor } from '../../stream/support.js';

const cleanup = useCleanup();

/** A console on port 0 with its log collected, and a temporary directory for recordings. */
async function startHarness() {
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
  cleanup(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => log.push(entry));
  const dir = mkdtempSync(join(tmpdir(), 'sse-console-replay-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const recording = (name: string, lines: readonly object[]) => {
    const file = join(dir, name);
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    return file;
  };
  const texts = (kind?: LogEntry['kind']) =>
    log.filter((entry) => kind === undefined || entry.kind === kind).map((entry) => entry.text);
  return { running, log, recording, texts };
}

describe('replay FILE over real sockets', () => {
  it('sends a recording to connected clients in order, as a job that finishes; recorded ids are kept', async () => {
    const h = await startHarness();
    const tab = openEventSource(h.running.sseUrl, cleanup, ['tick']);
    await waitFor(() => h.running.sse.connections.length === 1, 'the tab to connect');
    const file = h.recording('stream.jsonl', [
      { retry: 2500, storedAt: 1000 },
      { id: 'a1', data: 'one', event: 'tick', storedAt: 1000 },
      { data: 'two\nlines', storedAt: 1100 },
      { id: 'a3', data: 'three', storedAt: 1300 },
    ]);
    h.running.controller.execute(`replay ${file} --speed 2`);
    await waitFor(() => tab.data().length === 3, 'three replayed events');
    expect(tab.data()).toEqual(['one', 'two\nlines', 'three']);
    await waitFor(() => h.texts('job').some((text) => text.startsWith('job 1 finished')), 'the job to finish');
    expect(h.texts('job')[0]).toMatch(
      /^job 1 started: replay .*stream\.jsonl: 4 recorded lines over 150ms \(speed 2\)/,
    );
    expect(h.running.controller.snapshot().jobs).toEqual([]);
    expect([tab.messages[0]?.lastEventId, tab.messages[2]?.lastEventId]).toEqual(['a1', 'a3']);
    expect(h.running.controller.snapshot().history.map((record) => [record.id, record.data, record.event])).toEqual([
      ['a1', 'one', 'tick'],
      ['a3', 'three', undefined],
    ]);
    // A browser that saw a1 resumes after it.
    const url = new URL(h.running.sseUrl);
    const late = openRawStream(Number(url.port), { path: url.pathname, headers: { 'Last-Event-ID': 'a1' }, cleanup });
    await late.until((stream) => stream.events.length === 1, 'the replay after a1');
    expect(late.events.map((event) => [event.id, event.data])).toEqual([['a3', 'three']]);
  });

  it('send --id=abc stores under the given id, send --id takes the next integer, and the history shows both', async () => {
    const h = await startHarness();
    const tab = openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => h.running.sse.connections.length === 1, 'the tab to connect');
    h.running.controller.execute('send --id=abc hello');
    h.running.controller.execute('send --id=40 forty');
    h.running.controller.execute('send --id next');
    await waitFor(() => tab.data().length === 3, 'three events');
    expect(tab.messages.map((message) => [message.lastEventId, message.data])).toEqual([
      ['abc', 'hello'],
      ['40', 'forty'],
      ['41', 'next'],
    ]);
    expect(h.running.controller.snapshot().history.map((record) => record.id)).toEqual(['abc', 40, 41]);
    expect(h.texts().some((text) => text.includes('id "abc"'))).toBe(true);
  });

  it('keeps the recorded gaps: a later event waits, the job is listed meanwhile, and stop ends it', async () => {
    const h = await startHarness();
    const tab = openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => h.running.sse.connections.length === 1, 'the tab to connect');
    const file = h.recording('slow.jsonl', [
      { data: 'now', storedAt: 0 },
      { data: 'a minute later', storedAt: 60_000 },
    ]);
    h.running.controller.execute(`replay ${file}`);
    await waitFor(() => tab.data().length === 1, 'the first event');
    expect(h.running.controller.snapshot().jobs).toMatchObject([
      { id: 1, runs: 1, intervalMs: 0, source: `replay ${file}` },
    ]);
    h.running.controller.execute('jobs');
    await waitFor(() => h.texts().some((text) => /^1\s+recorded\s+1\s+replay /.test(text)), 'the jobs table');
    h.running.controller.execute('stop 1');
    expect(h.running.controller.snapshot().jobs).toEqual([]);
    expect(tab.data()).toEqual(['now']);
  });

  it('waits a gap beyond a timer (7 hours at --speed 0.01) in steps, without a TimeoutOverflowWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    cleanup(() => process.off('warning', onWarning));
    const h = await startHarness();
    const file = h.recording('night.jsonl', [
      { data: 'evening', storedAt: 0 },
      { data: 'morning', storedAt: 7 * 3_600_000 },
    ]);
    h.running.controller.execute(`replay ${file} --speed 0.01`);
    await waitFor(() => h.texts('job').length === 1, 'the job to start');
    expect(h.texts('job')[0]).toMatch(/2 recorded lines over 29\.2 days \(speed 0\.01\)/);
    // The next timer is made after the first event; two turns of the loop deliver any warning.
    await waitFor(() => h.running.controller.snapshot().jobs[0]?.runs === 1, 'the first event');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
    expect(h.running.controller.snapshot().jobs).toHaveLength(1);
  });

  it('plays a gap of more than 30 recorded days (a storedAt of 1e15) 1s later, and says so', async () => {
    const h = await startHarness();
    const tab = openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => h.running.sse.connections.length === 1, 'the tab to connect');
    const file = h.recording('jump.jsonl', [
      { data: 'before', storedAt: 1_764_586_800_000 },
      { data: 'after the jump', storedAt: 1e15 },
    ]);
    h.running.controller.execute(`replay ${file}`);
    await waitFor(() => tab.data().length === 2, 'both events', 5000);
    expect(h.texts('warn')).toEqual([
      `replay ${file}: line 2 was recorded 31,632 years after the one before it (storedAt 1000000000000000); a gap over 30 days is a clock that jumped, so it is played 1s after`,
    ]);
    expect(h.texts('job')[0]).toMatch(/2 recorded lines over 1s/);
  });

  it('--loop starts over after the last event', async () => {
    const h = await startHarness();
    const tab = openEventSource(h.running.sseUrl, cleanup);
    await waitFor(() => h.running.sse.connections.length === 1, 'the tab to connect');
    const file = h.recording('loop.jsonl', [
      { data: 'a', storedAt: 0 },
      { data: 'b', storedAt: 10 },
    ]);
    h.running.controller.execute(`replay ${file} --loop --speed 10`);
    await waitFor(() => tab.data().length >= 4, 'the recording twice');
    h.running.controller.execute('stop all');
    expect(tab.data().slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('answers a file that cannot be played with one line, and skips bad lines with a warning', async () => {
    const h = await startHarness();
    h.running.controller.execute('replay /dev/zero');
    await waitFor(() => h.texts('error').length === 1, 'an error line');
    expect(h.texts('error')[0]).toMatch(/not a regular file/);
    const empty = h.recording('empty.jsonl', [{ nothing: true }]);
    h.running.controller.execute(`replay ${empty}`);
    await waitFor(() => h.texts('error').length === 2, 'a second error line');
    expect(h.texts('error')[1]).toMatch(/holds no recorded event \(line 1: "storedAt" must be a number/);
    const mixed = h.recording('mixed.jsonl', [
      { data: 'ok', storedAt: 0 },
      { data: 5, storedAt: 0 },
    ]);
    h.running.controller.execute(`replay ${mixed}`);
    await waitFor(() => h.texts('job').some((text) => text.includes('finished')), 'the job to finish');
    expect(h.texts('warn').some((text) => text.includes('skipped line 2: "data" must be a string'))).toBe(true);
    h.running.controller.execute('replay x --speed 0');
    await waitFor(() => h.texts('error').length === 3, 'a usage error');
    expect(h.texts('error')[2]).toMatch(/--speed expects a number from 0.01 to 1000/);
  });

  it('describes the first three bad lines of a mostly junk recording and counts the rest', async () => {
    const h = await startHarness();
    const file = join(mkdtempSync(join(tmpdir(), 'sse-console-junk-')), 'junk.jsonl');
    cleanup(() => rmSync(file, { force: true }));
    writeFileSync(file, `${JSON.stringify({ data: 'kept', storedAt: 0 })}\n${'x\n'.repeat(200_000)}`);
    const recording = await readRecordingFile(file);
    expect(recording.lines).toHaveLength(1);
    expect(recording.problems).toEqual(['line 2: not valid JSON', 'line 3: not valid JSON', 'line 4: not valid JSON']);
    expect(recording.skipped).toBe(200_000);
    h.running.controller.execute(`replay ${file}`);
    await waitFor(() => h.texts('job').some((text) => text.includes('finished')), 'the job to finish');
    expect(h.texts('warn')).toEqual([
      `replay ${file}: skipped line 2: not valid JSON`,
      `replay ${file}: skipped line 3: not valid JSON`,
      `replay ${file}: skipped line 4: not valid JSON`,
      `replay ${file}: skipped 199997 more bad lines`,
    ]);
  });
});
