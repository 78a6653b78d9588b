import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, startConsoleProcess } from '../support/console-process.js';
import { useCleanup } from '../support/wait.js';

// The built binary in line mode: Ctrl+C (SIGINT) stops a running lesson script and keeps serving; the next one quits.

const cleanup = useCleanup();

describe('--script and SIGINT in line mode', () => {
  it('the first SIGINT stops the script at its step, the next one quits cleanly', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'slow.txt');
    writeFileSync(file, '# a long lesson\nsend first\nsleep 1h\nsend never\n');
    const proc = await startConsoleProcess(['--script', file], { cleanup });
    await proc.waitForLog((line) => line.type === 'sent' && line.data === 'first', 'the first scripted send');

    proc.child.kill('SIGINT');
    const stopped = await proc.waitForLog(
      (line) => line.type === 'script' && line.state === 'stopped',
      'the script to stop',
    );
    expect(stopped).toMatchObject({ file, line: 3, text: `script ${file} stopped at line 3` });
    // Still serving: commands run.
    proc.type('send after');
    await proc.waitForLog((line) => line.type === 'sent' && line.data === 'after', 'a typed send after the stop');
    expect(proc.exit).toBeUndefined();

    proc.child.kill('SIGINT');
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
    expect(proc.logs.some((line) => line.data === 'never')).toBe(false);
  });

  it('goes on from wait enter, saying so, when stdin has ended (nothing can press Enter)', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'lesson.txt');
    writeFileSync(file, 'send first\nwait enter\nsend second\n');
    const proc = await startConsoleProcess(['--script', file], { cleanup });
    await proc.waitForLog((line) => line.type === 'sent' && line.data === 'first', 'the first scripted send');
    proc.child.stdin.end();
    await proc.waitForLog((line) => line.type === 'sent' && line.data === 'second', 'the send after wait enter');
    expect(proc.recordsOfType('narration').map((line) => line.text)).toContain(
      'stdin has ended, so no Enter can come: going on',
    );
    expect(await proc.stop()).toBe(0);
  });

  it('runs a --script whose file name looks like a flag', async () => {
    const dir = makeTempDir(cleanup);
    writeFileSync(join(dir, '-d'), 'send from-a-dashed-name\n');
    const proc = await startConsoleProcess(['--script=-d'], { cleanup, cwd: dir });
    await proc.waitForLog((line) => line.type === 'sent' && line.data === 'from-a-dashed-name', 'the scripted send');
    expect(proc.logs.filter((line) => line.type === 'error')).toEqual([]);
  });

  it('refuses a --script that does not parse, before listening, with exit code 2', async () => {
    const dir = makeTempDir(cleanup);
    const file = join(dir, 'broken.txt');
    writeFileSync(file, 'send ok\nwait forever\n');
    await expect(startConsoleProcess(['--script', file], { cleanup })).rejects.toThrow(
      new RegExp(`"code":2.*sse-console: --script: ${file}:2: unknown wait`, 's'),
    );
  });
});
