import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStream } from './support/stream-client.js';
import { makeTempDir, startConsoleProcess } from '../support/console-process.js';
import { useCleanup } from '../support/wait.js';

// A lesson script with no `sleep` between its sends, run by the built binary in line mode:
// the per-client limit on unsent bytes must hold for it as for typed commands.

const cleanup = useCleanup();
const KiB = 1024;
const MiB = 1024 * KiB;
const EVENTS = 200;
const EVENT_BYTES = 256 * KiB;

/** A field of /proc/PID/status in bytes (Linux: VmRSS now, VmHWM the peak). */
function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * KiB;
}

describe('a script of sends without sleep', () => {
  it(`delivers ${EVENTS} × 256 KiB to two reading clients without dropping them, its memory bounded`, async () => {
    const dir = makeTempDir(cleanup);
    // One line of 256 KiB - 1 letters and its newline (which send --file drops).
    writeFileSync(join(dir, 'big.txt'), `${'x'.repeat(EVENT_BYTES - 1)}\n`);
    const script = join(dir, 'burst.txt');
    writeFileSync(
      script,
      ['wait connections 2', ...Array.from({ length: EVENTS }, () => 'send --file big.txt')].join('\n'),
    );
    const proc = await startConsoleProcess(['--script', script], {
      cleanup,
      cwd: dir,
      // Each send makes a few short-lived copies of its 256 KiB (file text, wire bytes,
      // JSON line); a small heap has them collected at once, so the peak shows what is held.
      nodeArgs: ['--max-old-space-size=32'],
    });
    const pid = proc.child.pid ?? 0;
    const baseline = procStatusBytes(pid, 'VmRSS');

    const clients = [1, 2].map(() => openStream(proc.ssePort, { keepEvents: false, cleanup }));
    await proc.waitForRecord('the script to finish', (line) => line.type === 'script' && line.state === 'finished', {
      timeoutMs: 60_000,
    });
    // Every byte reaches both: the data, each framed as one `data:` line.
    const expected = EVENTS * (EVENT_BYTES - 1 + 'data: \n\n'.length);
    for (const client of clients) {
      await client.until((c) => c.bodyBytes >= expected || c.closed, 'all events at the client', 30_000);
    }
    const peak = procStatusBytes(pid, 'VmHWM');
    const disconnects = proc.recordsOfType('disconnected');
    console.info(
      `script burst: ${EVENTS} × ${EVENT_BYTES / KiB} KiB to 2 clients; rss ${(baseline / MiB).toFixed(0)} MiB at start, ` +
        `peak ${(peak / MiB).toFixed(0)} MiB (+${((peak - baseline) / MiB).toFixed(0)} MiB); disconnects: ${disconnects.length}`,
    );
    expect(disconnects.map((line) => line.text)).toEqual([]);
    expect(clients.map((client) => [client.closed, client.bodyBytes])).toEqual([
      [false, expected],
      [false, expected],
    ]);
    // About one event at a time is held per client; a run of sends in one turn held
    // the whole burst twice (queued, then joined: +127 MiB here) and dropped both.
    expect(peak - baseline).toBeLessThan(64 * MiB);
    expect(proc.stderr()).toBe('');
  }, 120_000);
});
