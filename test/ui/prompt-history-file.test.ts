import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendPromptHistory,
  loadPromptHistory,
  parsePromptHistory,
  pushPromptHistory,
} from '../../core/app/prompt-history/prompt-history.js';
import { createPromptHistoryWriter } from '../../ui/prompt/prompt-history-writer.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sse-console-prompt-history-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pushPromptHistory', () => {
  it('adds a line, skipping blanks and a repeat of the newest line', () => {
    expect(pushPromptHistory(['a'], 'b')).toEqual(['a', 'b']);
    expect(pushPromptHistory(['a', 'b'], 'b')).toEqual(['a', 'b']);
    expect(pushPromptHistory(['a', 'b'], 'a')).toEqual(['a', 'b', 'a']);
    expect(pushPromptHistory(['a'], '  ')).toEqual(['a']);
  });

  it('keeps the newest lines past the limit', () => {
    expect(pushPromptHistory(['a', 'b', 'c'], 'd', 3)).toEqual(['b', 'c', 'd']);
  });

  it('stores a line with line breaks as one line', () => {
    expect(pushPromptHistory([], 'send\r\n--id\nx')).toEqual(['send --id x']);
  });
});

describe('parsePromptHistory', () => {
  it('reads one entry per line, CRLF too, skipping blanks and consecutive repeats', () => {
    expect(parsePromptHistory('a\r\nb\n\nb\nc\n')).toEqual(['a', 'b', 'c']);
  });

  it('keeps the newest lines past the limit', () => {
    expect(parsePromptHistory('1\n2\n3\n4\n', 2)).toEqual(['3', '4']);
  });
});

describe('loadPromptHistory', () => {
  it('treats a missing file as an empty history, without a warning', async () => {
    expect(await loadPromptHistory(join(dir, 'none', 'history'))).toEqual({ lines: [] });
  });

  it('reads the lines of an existing file', async () => {
    const file = join(dir, 'history');
    await writeFile(file, 'conns\nsend --data x --id\n');
    expect(await loadPromptHistory(file)).toEqual({ lines: ['conns', 'send --data x --id'] });
  });

  it('does not read a file from a directory other users can write, and says what to do', async () => {
    const shared = join(dir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o777);
    await writeFile(join(shared, 'history'), 'history save /home/someone/.bashrc\n');
    expect(await loadPromptHistory(join(shared, 'history'))).toEqual({
      lines: [],
      warning: `the prompt history is not read: ${shared} can be written by other users (mode 0777); run \`chmod 700 ${shared}\` or set XDG_STATE_HOME to a directory of your own; ↑/↓ start empty this run`,
    });
  });

  it('warns, naming the file, when the path cannot be read', async () => {
    const file = join(dir, 'is-a-directory');
    await mkdir(file);
    const loaded = await loadPromptHistory(file);
    expect(loaded.lines).toEqual([]);
    expect(loaded.warning).toContain(file);
    expect(loaded.warning).toContain('EISDIR');
  });
});

describe('appendPromptHistory', () => {
  it('creates the directories and a file only the user can read', async () => {
    const file = join(dir, 'state', 'sse-console', 'prompt-history');
    await appendPromptHistory(file, 'send --data hi --id');
    expect(await readFile(file, 'utf8')).toBe('send --data hi --id\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'state', 'sse-console'))).mode & 0o777).toBe(0o700);
  });

  it('skips consecutive duplicates and blank lines, and keeps 500 lines', async () => {
    const file = join(dir, 'history');
    await writeFile(file, `${Array.from({ length: 500 }, (_, index) => `line ${index}`).join('\n')}\n`);
    await appendPromptHistory(file, 'line 499');
    await appendPromptHistory(file, ' ');
    expect((await loadPromptHistory(file)).lines).toHaveLength(500);
    await appendPromptHistory(file, 'newest');
    const { lines } = await loadPromptHistory(file);
    expect(lines).toHaveLength(500);
    expect(lines[0]).toBe('line 1');
    expect(lines.at(-1)).toBe('newest');
  });

  it('round-trips through load', async () => {
    const file = join(dir, 'history');
    for (const line of ['a', 'b', 'b', 'c']) await appendPromptHistory(file, line);
    expect((await loadPromptHistory(file)).lines).toEqual(['a', 'b', 'c']);
  });

  it('rejects with the file named when it cannot be saved', async () => {
    // A file where the directory should be fails for every user, root included.
    await writeFile(join(dir, 'blocker'), '');
    const file = join(dir, 'blocker', 'history');
    await expect(appendPromptHistory(file, 'x')).rejects.toThrow(file);
  });

  it('never writes through symlinks planted at temporary names, and makes the file 0600', async () => {
    const target = join(dir, 'planted-target');
    await writeFile(target, 'untouched\n');
    const file = join(dir, 'state', 'history');
    await mkdir(join(dir, 'state'), { mode: 0o700 });
    for (let sequence = 1; sequence <= 200; sequence += 1) {
      await symlink(target, `${file}.${process.pid}.${sequence}.tmp`);
    }
    await appendPromptHistory(file, 'send hi');
    expect(await readFile(target, 'utf8')).toBe('untouched\n');
    expect(await readFile(file, 'utf8')).toBe('send hi\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('is not saved in a directory other users can write, and says what to do', async () => {
    const shared = join(dir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o777);
    const file = join(shared, 'history');
    await expect(appendPromptHistory(file, 'secret --token abc')).rejects.toThrow(
      `the prompt history is not saved: ${shared} can be written by other users (mode 0777); run \`chmod 700 ${shared}\` or set XDG_STATE_HOME to a directory of your own`,
    );
    expect(await readdir(shared)).toEqual([]);
  });

  it('rejects with the file named when the existing file cannot be read', async () => {
    const file = join(dir, 'is-a-directory');
    await mkdir(file);
    await expect(appendPromptHistory(file, 'x')).rejects.toThrow(/could not read the prompt history .*EISDIR/);
  });
});

describe('createPromptHistoryWriter', () => {
  it('saves lines in the order typed', async () => {
    const file = join(dir, 'nested', 'history');
    const warnings: string[] = [];
    const writer = createPromptHistoryWriter(file, (text) => warnings.push(text));
    for (let index = 0; index < 20; index += 1) writer.remember(`line ${index}`);
    await writer.flush();
    expect((await loadPromptHistory(file)).lines).toEqual(Array.from({ length: 20 }, (_, index) => `line ${index}`));
    expect(warnings).toEqual([]);
  });

  it('warns once, however many saves fail, and never throws', async () => {
    const file = join(dir, 'blocker', 'history');
    // A file where the directory should be makes every save fail, for root too.
    await writeFile(join(dir, 'blocker'), '');
    const warnings: string[] = [];
    const writer = createPromptHistoryWriter(file, (text) => warnings.push(text));
    writer.remember('one');
    writer.remember('two');
    writer.remember('three');
    await writer.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toContain('kept for this run only');
  });
});
