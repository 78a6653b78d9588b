import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonsDir, startConsole, type RunningConsole } from '../../../../core/app/console/start-console.js';
import type { LogEntry } from '../../../../core/app/console/types.js';
import { loadLesson } from '../../../../core/app/console/load-lesson.js';
import { openEventSource, useCleanup, waitFor } from '../../stream/support.js';
import { consoleLanguage } from '../../../../core/app/console/console-language.js';

// `source FILE`, `stop script`, Ctrl+C (interrupt) and `send --file`, on a real console over real sockets.

const cleanup = useCleanup();

async function start(): Promise<{ running: RunningConsole; log: LogEntry[]; dir: string }> {
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
  cleanup(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => log.push(entry));
  const dir = mkdtempSync(join(tmpdir(), 'sse-lesson-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return { running, log, dir };
}

const scriptState = (log: readonly LogEntry[], state: string) =>
  log.find((entry) => entry.fields?.type === 'script' && entry.fields.state === state);

describe('source FILE', () => {
  it('runs a lesson: narration, commands with their file and line, waits for tabs and for Enter', async () => {
    const { running, log, dir } = await start();
    const file = join(dir, 'lesson.txt');
    writeFileSync(file, '# Open one tab\nwait connections 1\nsend --id --data "Hello World!"\nwait enter\nsend bye\n');
    running.controller.execute(`source ${file}`);
    await waitFor(() => log.some((e) => e.text.startsWith('waiting for 1 connection')), 'the wait for a tab');
    expect(scriptState(log, 'started')?.text).toBe(`running ${file}: 5 steps (\`stop script\` or Ctrl+C ends it)`);
    expect(log.find((e) => e.fields?.type === 'narration')).toMatchObject({
      kind: 'info',
      text: 'Open one tab',
      fields: { script: file, line: 1 },
    });

    const tab = openEventSource(running.sseUrl, cleanup);
    await waitFor(() => tab.data().includes('Hello World!'), 'the tab to get the scripted send');
    expect(log.find((e) => e.kind === 'command' && e.text === 'send --id --data "Hello World!"')?.fields).toEqual({
      type: 'command',
      script: file,
      line: 3,
    });
    await waitFor(() => log.some((e) => e.text.startsWith('press Enter to go on')), 'the wait for Enter');
    expect(tab.data()).toEqual(['Hello World!']);
    running.controller.execute('   ');
    await waitFor(() => scriptState(log, 'finished'), 'the script to finish');
    await waitFor(() => tab.data().length === 2, 'the last send');
    expect(tab.data()).toEqual(['Hello World!', 'bye']);
    expect(log.filter((e) => e.kind === 'error')).toEqual([]);
  });

  it('refuses a broken script before running any of it, naming each file and line', async () => {
    const { running, log, dir } = await start();
    const file = join(dir, 'broken.txt');
    writeFileSync(file, 'send first\nsend --evnt x\nsleep soon\n');
    running.controller.execute(`source ${file}`);
    const errors = log.filter((e) => e.kind === 'error').map((e) => e.text);
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^source: ${file}:2: send: unknown flag "--evnt"`)),
      expect.stringMatching(new RegExp(`^source: ${file}:3: sleep: "soon" is not a duration`)),
    ]);
    expect(log.some((e) => e.kind === 'send')).toBe(false);
    running.controller.execute(`source ${join(dir, 'missing.txt')}`);
    expect(log.at(-1)?.text).toBe(`source: no such file: ${join(dir, 'missing.txt')}`);
    running.controller.execute(`source ${dir}`);
    expect(log.at(-1)?.text).toBe(`source: ${dir} is a directory; name a file`);
  });

  it('names the file and line of a command that fails while the script runs', async () => {
    const { running, log, dir } = await start();
    const file = join(dir, 'close.txt');
    writeFileSync(file, 'send a\nclose 7\nsend b\n');
    running.controller.execute(`source ${file}`);
    await waitFor(() => scriptState(log, 'finished'), 'the script to finish');
    expect(log.filter((e) => e.kind === 'error').map((e) => e.text)).toEqual([
      `${file}:2: no connection #7; \`conns\` lists the live ones`,
    ]);
    // Typed commands afterwards are not blamed on the script.
    running.controller.execute('close 8');
    expect(log.at(-1)?.text).toBe('no connection #8; `conns` lists the live ones');
  });

  it('runs one script at a time; stop script and Ctrl+C (interrupt) end it at its step', async () => {
    const { running, log, dir } = await start();
    const file = join(dir, 'slow.txt');
    writeFileSync(file, 'send a\nsleep 1h\nsend never\n');
    running.controller.execute(`source ${file}`);
    await waitFor(() => log.some((e) => e.kind === 'send'), 'the first send');
    running.controller.execute(`source ${file}`);
    expect(log.at(-1)?.text).toBe(`a script is already running (${file}, line 2); \`stop script\` ends it`);
    running.controller.execute('stop script');
    expect(scriptState(log, 'stopped')?.text).toBe(`script ${file} stopped at line 2`);
    running.controller.execute('stop script');
    expect(log.at(-1)?.text).toBe('no script is running; `source FILE` starts one');

    running.controller.execute(`source ${file}`);
    await waitFor(() => log.filter((e) => e.kind === 'send').length === 2, 'the second run');
    expect(running.controller.interrupt()).toBe(true);
    expect(running.controller.interrupt()).toBe(false);
    expect(log.filter((e) => e.fields?.type === 'script' && e.fields.state === 'stopped')).toHaveLength(2);
    expect(log.some((e) => e.text.includes('never'))).toBe(false);
  });

  it('finds the shipped lessons by name, and both of them parse', async () => {
    for (const name of ['racket-readme', 'reconnect']) {
      const lesson = loadLesson(name, lessonsDir(), consoleLanguage.parseCommandLine);
      expect(lesson, name).toMatchObject({ ok: true, file: join(lessonsDir(), `${name}.txt`) });
    }
    const { running, log } = await start();
    running.controller.execute('source racket-readme');
    await waitFor(() => log.some((e) => e.text.startsWith('waiting for 1 connection')), 'the lesson to wait for a tab');
    expect(running.controller.interrupt()).toBe(true);
  });
});

describe('send --file PATH', () => {
  it('sends a text file as the data, one data line per line, without the final line ending', async () => {
    const { running, log, dir } = await start();
    const tab = openEventSource(running.sseUrl, cleanup);
    await waitFor(() => running.sse.connections.length === 1, 'the tab');
    writeFileSync(join(dir, 'poem.txt'), 'line "one"\r\nline two\n');
    running.controller.execute(`send --id --file ${join(dir, 'poem.txt')}`);
    await waitFor(() => tab.data().length === 1, 'the file event');
    expect(tab.data()).toEqual(['line "one"\nline two']);
    expect(running.sse.history.map((record) => record.data)).toEqual(['line "one"\nline two']);
    expect(log.filter((e) => e.kind === 'error')).toEqual([]);
  });

  it('pretty-prints JSON with --json, and refuses a file that is not JSON', async () => {
    const { running, log, dir } = await start();
    const tab = openEventSource(running.sseUrl, cleanup);
    await waitFor(() => running.sse.connections.length === 1, 'the tab');
    writeFileSync(join(dir, 'data.json'), '{"clicked":true,"at":[1,2]}\n');
    running.controller.execute(`send --json --file ${join(dir, 'data.json')}`);
    await waitFor(() => tab.data().length === 1, 'the JSON event');
    expect(tab.data()).toEqual(['{\n  "clicked": true,\n  "at": [\n    1,\n    2\n  ]\n}']);
    writeFileSync(join(dir, 'bad.json'), '{"clicked": tru}');
    running.controller.execute(`send --json --file ${join(dir, 'bad.json')}`);
    expect(log.at(-1)?.kind).toBe('error');
    expect(log.at(-1)?.text).toMatch(
      /^send --file: .*bad\.json is not valid JSON \(.+\); drop --json to send it as text$/,
    );
  });

  it('refuses missing files, directories, FIFOs, binary and oversized files with one line each', async () => {
    const { running, log, dir } = await start();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(1024 * 1024 + 1));
    writeFileSync(join(dir, 'binary.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    const cases: [string, string][] = [
      [join(dir, 'nope.txt'), `send --file: no such file: ${join(dir, 'nope.txt')}`],
      [dir, `send --file: ${dir} is a directory; name a file`],
      [fifo, `send --file: ${fifo} is not a regular file (devices, FIFOs and sockets are refused)`],
      [join(dir, 'big.txt'), `send --file: ${join(dir, 'big.txt')} is 1 MiB; the limit is 1 MiB`],
      [join(dir, 'binary.bin'), `send --file: ${join(dir, 'binary.bin')} is not UTF-8 text`],
    ];
    for (const [path, error] of cases) {
      running.controller.execute(`send --file ${path}`);
      expect(log.at(-1), path).toMatchObject({ kind: 'error', text: error });
    }
    expect(log.some((e) => e.kind === 'send')).toBe(false);
  });
});
