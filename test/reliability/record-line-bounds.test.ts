/**
One line of a history file or recording that is 63 MiB of nested JSON: JSON.parse
would build tens of millions of arrays (3 GB, and 10 s or more of a frozen console).
Such a line is refused by a scan before parsing, with a line saying why, and the
console's memory stays near the size of the file.
*/
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashSigns, makeTempDir, startConsoleProcess } from '../support/console-process.js';
import { useCleanup } from '../support/wait.js';

const cleanup = useCleanup();
const MiB = 1024 * 1024;

/** The process's peak resident memory (VmHWM), in bytes. */
function peakRss(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

describe('a 63 MiB line of nested JSON', () => {
  it('is refused unread by history load and by replay, with the reason, at a fraction of the memory', async () => {
    const dir = makeTempDir(cleanup);
    const depth = Math.floor((63 * MiB) / 2);
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const historyFile = join(dir, 'history.jsonl');
    writeFileSync(historyFile, `{"id":1,"data":"kept","storedAt":0}\n{"id":2,"data":${nested},"storedAt":0}\n`);
    const recording = join(dir, 'recording.jsonl');
    writeFileSync(recording, `{"data":"kept","storedAt":0}\n{"data":${nested},"storedAt":0}\n`);

    const proc = await startConsoleProcess([], { cleanup });
    proc.type(`history load ${historyFile}`);
    const refused = await proc.waitForLog((line) => line.type === 'warn', 'the warning about line 2', 30_000);
    expect(refused.text).toBe(
      `${historyFile}:2: nested more than 8 levels deep (a record is one flat object like {"data":"text","storedAt":0}); skipped unread`,
    );
    await proc.waitForLog((line) => String(line.text).startsWith('loaded 1 event from'), 'the load answer');

    proc.type(`replay ${recording}`);
    const skipped = await proc.waitForLog(
      (line) => line.type === 'warn' && line.text.startsWith('replay '),
      'the replay warning',
      30_000,
    );
    expect(skipped.text).toBe(
      `replay ${recording}: skipped line 2: nested more than 8 levels deep (a record is one flat object like {"data":"text","storedAt":0})`,
    );
    await proc.waitForLog((line) => String(line.text).includes('finished: replayed 1 recorded line'), 'the replay');

    const peak = peakRss(proc.child.pid ?? 0);
    console.info(`nested 63 MiB line: history load and replay answered; peak RSS ${(peak / MiB).toFixed(0)} MiB`);
    // JSON.parse of the line alone took 3 GB; reading the file is a few copies of 63 MiB.
    expect(peak).toBeLessThan(1024 * MiB);
    expect(crashSigns(proc)).toEqual([]);
  }, 60_000);
});
