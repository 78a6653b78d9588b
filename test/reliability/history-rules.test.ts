/**
The history file and the replay log in memory never disagree: whatever `history`
command ran, a restart (after `kill -9`) brings back exactly what the log held, and
no id is ever issued for two different events.
*/
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();

const record = (id: number, data = `event ${id}`): string => `${JSON.stringify({ id, data, storedAt: id })}\n`;
const records = (ids: readonly number[]): string => ids.map((id) => record(id)).join('');
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let typed = 0;

/** Types a command and waits for the first output, error or warning line it produced. */
async function answer(proc: ConsoleProcess, line: string): Promise<LogLine> {
  typed += 1;
  const marker = `done ${typed}`;
  const before = proc.logs.length;
  proc.type(line);
  proc.type(`comment ${marker}`); // a command after it, to know the first one has run
  await proc.waitForLog(
    (entry) => entry.type === 'comment' && entry.text.includes(JSON.stringify(marker)),
    `the command after \`${line}\``,
  );
  const reply = proc.logs
    .slice(before)
    .find((entry) => ['output', 'error', 'warn'].includes(String(entry.kind)) && entry.type !== 'command');
  if (reply === undefined) throw new Error(`\`${line}\` printed nothing`);
  return reply;
}

async function sendWithId(proc: ConsoleProcess, data: string): Promise<LogLine> {
  proc.type(`send --id --data ${JSON.stringify(data)}`);
  return proc.waitForLog((line) => line.type === 'sent' && line.data === data, `the send of ${data}`);
}

/** Kills the console with SIGKILL and starts it again on the same arguments. */
async function restart(proc: ConsoleProcess, args: readonly string[]): Promise<ConsoleProcess> {
  proc.child.kill('SIGKILL');
  await proc.exited;
  return startConsoleProcess(args, { cleanup });
}

async function restoredNote(proc: ConsoleProcess): Promise<string> {
  const line = await proc.waitForLog(
    (entry) => entry.kind === 'info' && String(entry.text).startsWith('restored '),
    'the restore note',
  );
  return String(line.text);
}

async function replay(
  proc: ConsoleProcess,
  count: number,
  headers: Record<string, string> = {},
): Promise<StreamClient> {
  const client = openStream(proc.ssePort, { cleanup, headers });
  await client.until((c) => c.status !== undefined && c.events.length >= count, `a replay of ${count} events`);
  return client;
}

describe('history commands keep the file and the log in step', () => {
  it('`history save` onto the running --history-file keeps later events in it', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    const args = ['--history-file', file];
    const first = await startConsoleProcess(args, { cleanup });
    await sendWithId(first, 'one');
    await sendWithId(first, 'two');
    expect((await answer(first, `history save ${file}`)).text).toBe(`saved 2 events to ${file}`);
    await sendWithId(first, 'three');

    const second = await restart(first, args);
    expect(await restoredNote(second)).toBe(`restored 3 events from ${file}`);
    const client = await replay(second, 3);
    expect(client.events.map((event) => [event.id, event.data])).toEqual([
      ['1', 'one'],
      ['2', 'two'],
      ['3', 'three'],
    ]);
    expect((await sendWithId(second, 'four')).id).toBe(4);
    expect(crashSigns(second)).toEqual([]);
  }, 30_000);

  it('`history save` through a symlink to the running file rewrites that file and keeps the link', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'events.jsonl');
    const link = join(dir, 'link.jsonl');
    const args = ['--history-file', file];
    const first = await startConsoleProcess(args, { cleanup });
    symlinkSync(file, link);
    await sendWithId(first, 'one');
    expect((await answer(first, `history save ${link}`)).text).toBe(`saved 1 event to ${link}`);
    await sendWithId(first, 'two');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    const second = await restart(first, ['--history-file', link]);
    expect(await restoredNote(second)).toBe(`restored 2 events from ${link}`);
    expect(crashSigns(second)).toEqual([]);
  }, 30_000);

  it('`history clear` empties the file too, and ids continue after a restart', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    const args = ['--history-file', file];
    const first = await startConsoleProcess(args, { cleanup });
    for (const data of ['a', 'b', 'c']) await sendWithId(first, data);
    const cleared = await answer(first, 'history clear');

    const second = await restart(first, args);
    expect(await restoredNote(second)).toBe(`restored 0 events from ${file}`);
    expect((await sendWithId(second, 'd')).id).toBe(4);
    expect(cleared.text).toBe(`history cleared (3 events) and from ${file}; the next id is still 4`);
    expect(crashSigns(second)).toEqual([]);
  }, 30_000);

  it('string ids (send --id=ID) survive a SIGKILL restart through --history-file, and a reconnect resumes after one', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    const args = ['--history-file', file];
    const first = await startConsoleProcess(args, { cleanup });
    for (const [id, data] of [
      ['order-7f3a', 'a'],
      ['order-9c1d', 'b'],
    ]) {
      first.type(`send --id=${id} --data ${data}`);
      await first.waitForLog((line) => line.type === 'sent' && line.data === data, `the send of ${data}`);
    }
    await sendWithId(first, 'c');
    expect(readFileSync(file, 'utf8')).toContain('{"id":"order-7f3a","data":"a"');
    const second = await restart(first, args);
    expect(await restoredNote(second)).toBe(`restored 3 events from ${file}`);
    const client = await replay(second, 2, { 'Last-Event-ID': 'order-7f3a' });
    expect(client.events.map((event) => [event.id, event.data])).toEqual([
      ['order-9c1d', 'b'],
      ['1', 'c'],
    ]);
    expect((await sendWithId(second, 'd')).id).toBe(2);
    expect(crashSigns(second)).toEqual([]);
  }, 30_000);

  it('`history load` keeps string ids as they are', async () => {
    const dir = makeTempDir(cleanup);
    const saved = join(dir, 'saved.jsonl');
    writeFileSync(saved, '{"id":"u-1","data":"one","storedAt":0}\n{"id":"u-2","data":"two","storedAt":0}\n');
    const proc = await startConsoleProcess([], { cleanup });
    await sendWithId(proc, 'first');
    expect((await answer(proc, `history load ${saved}`)).text).toBe(`loaded 2 events from ${saved}; the next id is 2`);
    const client = await replay(proc, 1, { 'Last-Event-ID': 'u-1' });
    expect(client.events.map((event) => [event.id, event.data])).toEqual([['u-2', 'two']]);
    expect(crashSigns(proc)).toEqual([]);
  }, 30_000);

  it('`history load` of smaller ids renumbers them after the ids already issued; the file agrees', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'events.jsonl');
    const older = join(dir, 'older.jsonl');
    writeFileSync(older, records([1, 2]));
    const args = ['--history-file', file];
    const first = await startConsoleProcess(args, { cleanup });
    const watcher = openStream(first.ssePort, { cleanup });
    await first.waitForLog((line) => line.type === 'connected', 'the watcher');
    for (const data of ['a', 'b', 'c', 'd', 'e']) await sendWithId(first, data);
    const loaded = await answer(first, `history load ${older}`);
    expect((await sendWithId(first, 'f')).id).toBe(8);
    await watcher.until((c) => c.events.length >= 6, 'the live events');
    const liveIds = watcher.events.map((event) => Number(event.id));
    expect(liveIds).toEqual([1, 2, 3, 4, 5, 8]);
    expect(loaded.text).toBe(
      `loaded 2 events from ${older}, renumbered 6–7 to follow the ids already issued; the next id is 8`,
    );

    const second = await restart(first, args);
    expect(await restoredNote(second)).toBe(`restored 3 events from ${file}`);
    const client = await replay(second, 3);
    expect(client.events.map((event) => [event.id, event.data])).toEqual([
      ['6', 'event 1'],
      ['7', 'event 2'],
      ['8', 'f'],
    ]);
    expect((await sendWithId(second, 'g')).id).toBe(9);
    expect(crashSigns(second)).toEqual([]);
  }, 30_000);

  it('`history load` of the running file, or of a save whose events the log still holds, keeps their ids', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'events.jsonl');
    const copy = join(dir, 'copy.jsonl');
    const proc = await startConsoleProcess(['--history-file', file], { cleanup });
    for (const data of ['a', 'b', 'c']) await sendWithId(proc, data);
    expect((await answer(proc, `history save ${copy}`)).text).toBe(`saved 3 events to ${copy}`);
    expect((await answer(proc, `history load ${file}`)).text).toBe(`loaded 3 events from ${file}; the next id is 4`);
    expect((await answer(proc, `history load ${copy}`)).text).toBe(`loaded 3 events from ${copy}; the next id is 4`);
    expect((await sendWithId(proc, 'd')).id).toBe(4);
    expect(crashSigns(proc)).toEqual([]);
  }, 30_000);
});

describe('the history file is bounded by --history-limit', () => {
  it('restores the newest events, says how many the file held, and compacts the file as it grows', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    writeFileSync(file, records(range(1, 50)));
    const args = ['--history-file', file, '--history-limit', '5'];
    const first = await startConsoleProcess(args, { cleanup });
    expect(await restoredNote(first)).toMatch(
      new RegExp(
        `^restored 5 events from ${escape(file)} \\(the file holds 50; the history limit keeps the newest 5\\)`,
      ),
    );
    const client = await replay(first, 5);
    expect(client.events.map((event) => event.id)).toEqual(['46', '47', '48', '49', '50']);

    for (let i = 1; i <= 30; i += 1) await sendWithId(first, `new ${i}`);
    // The `sent` line is printed before the compaction that follows it in the same
    // turn; the reply to a later command comes after both.
    await answer(first, 'jobs');
    const lines = (): string[] =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
    // Twice the limit, plus the {"nextId":N} line a rewrite starts with.
    expect(lines().length).toBeLessThanOrEqual(2 * 5 + 1);

    const second = await restart(first, args);
    await restoredNote(second);
    const again = await replay(second, 5);
    expect(again.events.map((event) => event.data)).toEqual(['new 26', 'new 27', 'new 28', 'new 29', 'new 30']);
    expect((await sendWithId(second, 'after')).id).toBe(81);
    expect(crashSigns(second)).toEqual([]);
  }, 30_000);
});

describe('the replay log has a byte budget beside the event count', () => {
  it('--history-max-bytes keeps only the newest events that fit, at start-up and as events are sent', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    const kib = 'k'.repeat(1100);
    writeFileSync(
      file,
      range(1, 20)
        .map((id) => record(id, `${id}:${kib}`))
        .join(''),
    );
    const proc = await startConsoleProcess(['--history-file', file, '--history-max-bytes', '4096'], { cleanup });
    // Each event is about 1.1 KiB on the wire, so 3 fit in 4096 bytes.
    expect(await restoredNote(proc)).toMatch(
      new RegExp(
        `^restored 3 events from ${escape(file)} \\(the file holds 20; the history limit keeps the newest 3\\)`,
      ),
    );
    const client = await replay(proc, 3);
    expect(client.events.map((event) => event.id)).toEqual(['18', '19', '20']);
    for (let i = 1; i <= 5; i += 1) await sendWithId(proc, `new ${i}:${kib}`);
    const late = await replay(proc, 3);
    expect(late.events.map((event) => event.id)).toEqual(['23', '24', '25']);
    expect(crashSigns(proc)).toEqual([]);
  }, 30_000);

  it('refuses a budget below 1 KiB with the valid range', async () => {
    await expect(startConsoleProcess(['--history-max-bytes', '10'], { cleanup })).rejects.toThrow(
      /--history-max-bytes must be a whole number from 1024 to/,
    );
  }, 30_000);
});

describe('ids at the edges', () => {
  it('skips a BOM at the start of the file instead of the first event', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    writeFileSync(file, `\uFEFF${records([1, 2, 3])}`);
    const proc = await startConsoleProcess(['--history-file', file], { cleanup });
    expect(await restoredNote(proc)).toBe(`restored 3 events from ${file}`);
    expect(proc.logs.filter((line) => line.kind === 'warn')).toEqual([]);
  }, 30_000);

  it('recognises 16-digit ids as Last-Event-ID', async () => {
    const file = join(makeTempDir(cleanup), 'events.jsonl');
    const base = 1_000_000_000_000_000; // 16 digits
    writeFileSync(file, records([base + 1, base + 2, base + 3]));
    const proc = await startConsoleProcess(['--history-file', file], { cleanup });
    await restoredNote(proc);
    const client = await replay(proc, 2, { 'Last-Event-ID': String(base + 1) });
    await proc.waitForLog((line) => line.type === 'replayed', 'the replay note');
    expect(client.events.map((event) => event.id)).toEqual([String(base + 2), String(base + 3)]);
    expect(proc.logs.filter((line) => line.type === 'unknown-last-event-id')).toEqual([]);
  }, 30_000);

  it('refuses ids beyond Number.MAX_SAFE_INTEGER at load and says so when the last id has been issued', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'events.jsonl');
    const top = Number.MAX_SAFE_INTEGER;
    writeFileSync(file, `${record(top - 1)}{"id":9007199254740993,"data":"too big","storedAt":0}\n`);
    const proc = await startConsoleProcess(['--history-file', file], { cleanup });
    expect(await restoredNote(proc)).toBe(`restored 1 event from ${file}`);
    expect(proc.logs.filter((line) => line.kind === 'warn').map((line) => line.text)).toEqual([
      `${file}:2: "id" must be a whole number from 0 to ${top} (Number.MAX_SAFE_INTEGER) or a non-empty string without CR, LF or NUL: got 9007199254740992; skipped`,
    ]);
    expect((await sendWithId(proc, 'the last id')).id).toBe(top);
    const refused = await answer(proc, 'send --id --data "one too many"');
    expect(refused.kind).toBe('error');
    expect(String(refused.text)).toContain(`every id up to ${top} (Number.MAX_SAFE_INTEGER`);
    // Sends without an id still work.
    proc.type('send --data "still here"');
    await proc.waitForLog((line) => line.type === 'sent' && line.data === 'still here', 'the send without id');
    expect(proc.stderr()).toBe('');
  }, 30_000);
});

describe('history save and load touch only what they should', () => {
  it('`history save` never writes through a symlink planted at a temporary name, and cleans up on failure', async () => {
    const dir = makeTempDir(cleanup);
    const proc = await startConsoleProcess([], { cleanup });
    await sendWithId(proc, 'secret');
    const target = join(dir, 'saved.jsonl');
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    // The name a predictable temporary file would have: FILE.PID.tmp.
    symlinkSync(victim, `${target}.${String(proc.child.pid)}.tmp`);
    expect((await answer(proc, `history save ${target}`)).text).toBe(`saved 1 event to ${target}`);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(target, 'utf8')).toContain('"data":"secret"');

    // A rename that fails (the target is a directory) leaves no temporary file behind.
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const failed = await answer(proc, `history save ${folder}`);
    expect(failed.kind).toBe('error');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp') && !name.startsWith('saved.jsonl.'))).toEqual([]);
    expect(proc.stderr()).toBe('');
  }, 30_000);

  it('`history load` refuses a FIFO and /dev/zero at once, and the console keeps answering', async () => {
    const dir = makeTempDir(cleanup);
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const proc = await startConsoleProcess([], { cleanup });
    const fromFifo = await answer(proc, `history load ${fifo}`);
    expect(fromFifo.kind).toBe('error');
    expect(fromFifo.text).toBe(
      `could not read ${fifo}: ${fifo} is not a regular file (a history file is a JSON Lines file, one event per line)`,
    );
    if (existsSync('/dev/zero')) {
      const fromZero = await answer(proc, 'history load /dev/zero');
      expect(fromZero.kind).toBe('error');
      expect(String(fromZero.text)).toContain('/dev/zero is not a regular file');
    }
    expect((await sendWithId(proc, 'alive')).id).toBe(1);
    expect(proc.stderr()).toBe('');
  }, 30_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
