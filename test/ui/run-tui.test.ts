import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleController } from '../../core/app/console/create-console-controller.js';
import type { ConsoleController } from '../../core/app/console/types.js';
import { startSseServer, type SseServer } from '../../core/http/sse-server.js';
import { createSse } from '../../core/stream/create-sse.js';
import type { Sse } from '../../core/stream/types.js';
import { runTui } from '../../ui/run-tui.js';
import { keys, settle, waitFor, waitForInputReady } from './helpers.js';

/** A terminal's input as Ink reads it: raw mode switches and 'readable' chunks. */
class TerminalInput extends EventEmitter {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  private pending: string | null = null;
  write(data: string): void {
    this.pending = data;
    this.emit('readable');
  }
  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  setRawMode(enabled: boolean): void {
    this.rawModes.push(enabled);
  }
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/**
A terminal's output: a fixed size, everything written kept. It says it is not a TTY
so that Ink's cursor hiding, which also restores the cursor on the real stderr when
the process exits, is left out.
*/
class TerminalOutput extends EventEmitter {
  readonly isTTY = false;
  readonly columns = 100;
  readonly rows = 30;
  output = '';
  write(chunk: string, callback?: () => void): boolean {
    this.output += chunk;
    callback?.();
    return true;
  }
}

let sse: Sse;
let server: SseServer;
let controller: ConsoleController;
let dir: string;

beforeEach(async () => {
  sse = createSse({ heartbeatMs: 0 });
  server = await startSseServer(0, sse, { host: '127.0.0.1' });
  controller = createConsoleController({
    sse,
    sseUrl: server.url,
    pagesUrl: 'http://127.0.0.1:8080/',
    stopServers: () => server.stop(),
  });
  dir = await mkdtemp(join(tmpdir(), 'sse-console-run-tui-'));
});

afterEach(async () => {
  await controller.dispose();
  await server.stop();
  sse.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(promptHistoryFile: string): {
  readonly input: TerminalInput;
  readonly output: TerminalOutput;
  readonly done: Promise<void>;
} {
  const input = new TerminalInput();
  const output = new TerminalOutput();
  const done = runTui({
    controller,
    promptHistoryFile,
    // The fakes have what Ink uses of a TTY's streams.
    stdin: input as unknown as NodeJS.ReadStream,
    stdout: output as unknown as NodeJS.WriteStream,
  });
  return { input, output, done };
}

async function type(input: TerminalInput, ...chunks: string[]): Promise<void> {
  for (const chunk of chunks) {
    input.write(chunk);
    await settle();
  }
}

describe('runTui', () => {
  it('recalls a line saved by an earlier run, runs it, and resolves after `quit` with the terminal restored', async () => {
    const file = join(dir, 'state', 'prompt-history');
    await mkdir(join(dir, 'state'));
    await writeFile(file, 'conns\nraw on\n');
    const { input, output, done } = start(file);
    await waitForInputReady({ stdin: input });

    await type(input, keys.up, keys.enter);
    await waitFor(() => controller.snapshot().raw, 'the recalled `raw on` to run');

    await type(input, 'quit', keys.enter);
    await done;
    expect(input.rawModes.at(-1)).toBe(false);
    expect(output.output).toContain('stopping…');
    expect(await readFile(file, 'utf8')).toBe('conns\nraw on\nquit\n');
  });

  it('quits on Ctrl+C', async () => {
    const { input, done } = start(join(dir, 'history'));
    await waitForInputReady({ stdin: input });
    await type(input, keys.ctrlC);
    await done;
    expect(input.rawModes.at(-1)).toBe(false);
  });

  it('warns once and keeps running when the history file cannot be read', async () => {
    const file = join(dir, 'a-directory');
    await mkdir(file);
    const { input, output, done } = start(file);
    await waitForInputReady({ stdin: input });
    await waitFor(() => output.output.includes('could not read the prompt history'), 'the warning');
    await type(input, 'send --data ok --id', keys.enter);
    await waitFor(() => sse.history.length === 1, 'the send to run');
    await type(input, keys.ctrlC);
    await done;
    expect(output.output.split('could not read the prompt history')).toHaveLength(2);
  });
});
