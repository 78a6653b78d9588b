import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  crashSigns,
  makeTempDir,
  startConsoleProcess,
  type ConsoleProcess,
  type LogLine,
} from '../support/console-process.js';
import { openStream, type StreamClient } from './support/stream-client.js';
import { mountSmallFilesystem, tmpfsMountable } from './support/small-filesystem.js';
import { useCleanup, waitFor } from '../support/wait.js';

const cleanup = useCleanup();

const warnings = (proc: ConsoleProcess): string[] =>
  proc.logs.filter((line) => line.type === 'warn').map((line) => String(line.text));

/** The `sent` log line of the next `send --id`, to read the id it got. */
async function sendWithId(proc: ConsoleProcess, data: string): Promise<LogLine> {
  proc.type(`send --id --data ${JSON.stringify(data)}`);
  return proc.waitForLog((line) => line.type === 'sent' && line.data === data, `the send of ${data}`);
}

/** Connects a client and waits until the replay of `count` stored events is in. */
async function replay(proc: ConsoleProcess, count: number): Promise<StreamClient> {
  const client = openStream(proc.ssePort, { cleanup });
  await client.until((c) => c.events.length >= count, `a replay of ${count} events`);
  return client;
}

describe('--history-file keeps every event across kill -9', () => {
  it('restores every event a client received, and the ids continue', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'events.jsonl');
    const first = await startConsoleProcess(['--history-file', file, '--history-limit', '100000'], { cleanup });
    const watcher = openStream(first.ssePort, { cleanup });
    await first.waitForLog((line) => line.type === 'connected', 'the watcher to connect');

    // A job and a burst of typed sends at once; the process is killed while they run.
    first.type('every 10ms send --id --data "job {n}"');
    first.type(Array.from({ length: 400 }, (_, i) => `send --id --data "burst ${i + 1}"`).join('\n'));
    await watcher.until((c) => c.events.length >= 450, 'the watcher to receive 450 events', 20_000);
    first.child.kill('SIGKILL');
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    const received = watcher.events.map((event) => ({ id: event.id, data: event.data }));
    const jobEvents = received.filter((event) => event.data.startsWith('job ')).length;
    expect(jobEvents).toBeGreaterThan(0); // the kill came while the job ran

    const second = await startConsoleProcess(['--history-file', file, '--history-limit', '100000'], { cleanup });
    const restored = await second.waitForLog(
      (line) => line.type === 'info' && line.text.startsWith('restored '),
      'the restore note',
    );
    const restoredCount = Number(/^restored (\d+) events/.exec(String(restored.text))?.[1]);
    // Only a torn last line may be reported: the writer can die in the middle of one.
    for (const warning of warnings(second)) expect(warning).toMatch(/:\d+: torn last line/);
    const fileLines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(restoredCount).toBeGreaterThanOrEqual(received.length);
    expect(restoredCount).toBeGreaterThanOrEqual(fileLines.length - 1);

    const again = await replay(second, restoredCount);
    const replayed = new Map(again.events.map((event) => [event.id, event.data]));
    for (const event of received) {
      expect(replayed.get(event.id)).toBe(event.data);
    }
    // Ids are 1…N without a hole.
    expect(again.events.map((event) => Number(event.id))).toEqual(
      Array.from({ length: restoredCount }, (_, i) => i + 1),
    );

    const next = await sendWithId(second, 'after the restart');
    expect(next.id).toBe(restoredCount + 1);
    await again.until((c) => c.events.at(-1)?.data === 'after the restart', 'the new event at the client');
    expect(again.events.at(-1)?.id).toBe(String(restoredCount + 1));
    console.info(
      `history: watcher received ${received.length} events (${jobEvents} from the job) before kill -9; ${restoredCount} restored`,
    );
    expect(crashSigns(second)).toEqual([]);
  }, 60_000);

  it('reports a torn last line and skips it, never issuing its id again; the file stays usable for the next run', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'events.jsonl');
    const whole = [1, 2, 3].map((id) => `${JSON.stringify({ id, data: `event ${id}`, storedAt: id })}\n`).join('');
    writeFileSync(file, `${whole}{"id":4,"data":"half of ev`);

    const second = await startConsoleProcess(['--history-file', file], { cleanup });
    await second.waitForLog((line) => line.text === `restored 3 events from ${file}`, 'the restore note');
    expect(warnings(second)).toEqual([
      `${file}:4: torn last line (the writer stopped in the middle of it); skipped, and its id 4 is not issued again (a client may have received it)`,
    ]);
    const client = await replay(second, 3);
    expect(client.events.map((event) => event.data)).toEqual(['event 1', 'event 2', 'event 3']);
    // A writer that did not check its writes (or a crash) may have sent the torn event: its id is passed.
    expect((await sendWithId(second, 'event 5')).id).toBe(5);
    second.type('quit');
    expect((await second.exited).code).toBe(0);
    expect(crashSigns(second, true)).toEqual([]);

    // The next run finds the torn line in the middle now: still reported, still skipped.
    const third = await startConsoleProcess(['--history-file', file], { cleanup });
    await third.waitForLog((line) => line.text === `restored 4 events from ${file}`, 'the second restore note');
    expect(warnings(third)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${escape(file)}:4: not valid JSON .*; skipped, and its id 4 is not issued again \\(a client may have received it\\)$`,
        ),
      ),
    ]);
    expect((await sendWithId(third, 'event 6')).id).toBe(6);
    expect(crashSigns(third)).toEqual([]);
  }, 30_000);

  it('reports each bad line with its line number and loads the rest', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'events.jsonl');
    writeFileSync(
      file,
      [
        '{"id":1,"data":"one","storedAt":1}',
        'not json at all',
        '{"id":"","data":"an empty id"}',
        '',
        '{"id":2,"event":"tick","data":"two","storedAt":2}',
        '{"id":2,"data":"the same id again"}',
        '[1,2]',
        '{"id":3,"data":5}',
        '{"id":4,"data":"four","retry":-1}',
        '{"id":5,"data":"five","storedAt":5}',
        '',
      ].join('\n'),
    );
    const proc = await startConsoleProcess(['--history-file', file], { cleanup });
    // Ids are kept in file order and may repeat (an application's ids): the duplicate 2 is loaded.
    await proc.waitForLog((line) => line.text === `restored 4 events from ${file}`, 'the restore note');
    const lines = warnings(proc).map((text) => {
      expect(text.startsWith(`${file}:`)).toBe(true);
      return Number(text.slice(file.length + 1).split(':')[0]);
    });
    expect(lines).toEqual([2, 3, 7, 8, 9]);
    expect(warnings(proc)[1]).toBe(
      `${file}:3: "id" must be a whole number from 0 to 9007199254740991 (Number.MAX_SAFE_INTEGER) or a non-empty string without CR, LF or NUL: got ""; skipped`,
    );

    const client = await replay(proc, 4);
    expect(client.events.map((event) => [event.id, event.event, event.data])).toEqual([
      ['1', undefined, 'one'],
      ['2', 'tick', 'two'],
      ['2', undefined, 'the same id again'],
      ['5', undefined, 'five'],
    ]);
    expect((await sendWithId(proc, 'six')).id).toBe(6);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)).toMatch(/^\{"id":6,"data":"six","storedAt":\d+\}$/);
    expect(crashSigns(proc)).toEqual([]);
  }, 30_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.skipIf(!tmpfsMountable)(
  '--history-file on a disk that fills up (a real tmpfs; mounting it needs root)',
  () => {
    it('never sends an event the file does not hold whole, and never issues a sent id again', async () => {
      const small = mountSmallFilesystem(makeTempDir(cleanup), 8192, cleanup);
      const file = join(small.dir, 'events.jsonl');
      const first = await startConsoleProcess(['--history-file', file], { cleanup });
      const watcher = openStream(first.ssePort, { cleanup });
      await first.waitForLog((line) => line.type === 'connected', 'the watcher to connect');

      // 8 KiB hold about 25 of these lines: the disk fills in the middle of one of them.
      const filler = 'x'.repeat(300);
      const total = 40;
      const since = first.records.length;
      first.type(Array.from({ length: total }, (_, i) => `send --id --data "${filler} ${i + 1}"`).join('\n'));
      await waitFor(
        () => first.recordsOfType('sent', since).length + first.recordsOfType('error', since).length >= total,
        'every send to be sent or refused',
      );
      const sent = first.recordsOfType('sent', since);
      const refused = first.recordsOfType('error', since);
      expect(sent.length).toBeGreaterThan(5);
      expect(refused.length).toBeGreaterThan(0);
      expect(String(refused[0]?.text)).toBe(
        `event ${sent.length + 1} was not sent: the history file ${file} could not store it (the disk is full: ENOSPC); free some space, or send without an id (not stored)`,
      );
      await watcher.until((c) => c.events.length >= sent.length, 'the watcher to receive every event sent');
      const received = watcher.events.map((event) => Number(event.id));
      expect(received).toEqual(sent.map((line) => line.id));
      // The file ends with the last whole record: no half of the refused one.
      const onDisk = readFileSync(file, 'utf8');
      expect(onDisk.endsWith('\n')).toBe(true);
      expect(onDisk.trimEnd().split('\n')).toHaveLength(sent.length);
      // Clearing needs room for the new file too: refused in words, and nothing changes.
      first.type('history clear');
      const clear = await first.waitForLog(
        (line) => line.type === 'error' && line.text.startsWith('could not clear'),
        'the answer to history clear',
      );
      expect(clear.text).toBe(
        `could not clear the history: ${file} could not be rewritten (the disk is full); the history is unchanged`,
      );
      expect(readFileSync(file, 'utf8')).toBe(onDisk);
      first.type('quit');
      expect((await first.exited).code).toBe(0);

      small.grow(1024 * 1024);
      const second = await startConsoleProcess(['--history-file', file], { cleanup });
      await second.waitForLog(
        (line) => line.text === `restored ${sent.length} events from ${file}`,
        'the restore note',
      );
      expect(warnings(second)).toEqual([]);
      const next = await sendWithId(second, 'after the disk had room again');
      expect(received).not.toContain(next.id);
      expect(next.id).toBe(Math.max(...received) + 1);
      expect(crashSigns(second)).toEqual([]);
    }, 60_000);

    it('a replay with ids onto a full disk stops with a line saying why; the console goes on', async () => {
      const small = mountSmallFilesystem(makeTempDir(cleanup), 8192, cleanup);
      const file = join(small.dir, 'events.jsonl');
      const recording = join(makeTempDir(cleanup), 'recording.jsonl');
      const filler = 'z'.repeat(300);
      writeFileSync(
        recording,
        Array.from(
          { length: 40 },
          (_, i) => `${JSON.stringify({ id: `r${i + 1}`, data: `${filler} ${i + 1}`, storedAt: i })}\n`,
        ).join(''),
      );
      const proc = await startConsoleProcess(['--history-file', file], { cleanup });
      proc.type(`replay ${recording} --speed 1000`);
      const stopped = await proc.waitForLog(
        (line) => line.type === 'job' && line.text.includes('stopped at recorded line'),
        'the replay to stop',
      );
      expect(String(stopped.text)).toMatch(
        /^job 1 stopped at recorded line \d+: event r\d+ was not sent: the history file .* could not store it \(the disk is full: ENOSPC\)/,
      );
      proc.type('send without an id, still served');
      await proc.waitForLog(
        (line) => line.type === 'sent' && line.data === 'without an id, still served',
        'a later send',
      );
      expect(proc.exit).toBeUndefined();
      expect(proc.stderr()).toBe('');
    }, 60_000);

    it('history save onto a disk too small for the log fails, keeping the file that was there whole', async () => {
      const small = mountSmallFilesystem(makeTempDir(cleanup), 8192, cleanup);
      const file = join(small.dir, 'saved.jsonl');
      const before = `${JSON.stringify({ id: 1, data: 'the saved one', storedAt: 1 })}\n`;
      writeFileSync(file, before);
      const proc = await startConsoleProcess([], { cleanup });
      const filler = 'x'.repeat(300);
      proc.type(Array.from({ length: 40 }, (_, i) => `send --id --data "${filler} ${i + 1}"`).join('\n'));
      await proc.waitForLog((line) => line.type === 'sent' && line.id === 40, 'the 40th send');
      proc.type(`history save ${file}`);
      const answer = await proc.waitForLog(
        (line) => line.type !== 'command' && String(line.text).includes('saved.jsonl'),
        'the answer to history save',
      );
      expect(answer).toMatchObject({ type: 'error', text: `could not save the history to ${file}: the disk is full` });
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(readdirSync(small.dir)).toEqual(['saved.jsonl']);
      expect(crashSigns(proc).filter((sign) => !sign.includes('could not save'))).toEqual([]);
    }, 60_000);
  },
);
