import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireE2eTools } from './support/required-tools.js';
import { exitedLine, startTuiInTmux, type TuiRun } from './support/tui-process.js';

// `sse-console --repl` in a real terminal (tmux): log lines print above the prompt, `.exit` quits cleanly.

let run: TuiRun | undefined;

beforeEach(() => {
  requireE2eTools();
});

afterEach(() => {
  run?.close();
  run = undefined;
});

describe('the library REPL in a terminal', () => {
  it('evaluates library calls, prints the log above the prompt, and quits on .exit', async () => {
    run = startTuiInTmux(['--repl']);
    const { tmux } = run;
    await tmux.waitForScreen(
      'the REPL prompt after the start-up lines',
      (screen) => /SSE stream on http:\/\/127\.0\.0\.1:\d+\/events/.test(screen) && /^sse>\s*$/m.test(screen),
    );
    tmux.sendKeys([`sse.sendNewEvent({ data: 'Hello', id: true }).id`], { literal: true });
    tmux.sendKeys(['Enter']);
    const screen = await tmux.waitForScreen(
      'the send logged and the result shown',
      (text) => /send +sent id 1 "Hello" to 0 connections/.test(text) && /^1$/m.test(text),
    );
    // The log line came before the result, and a fresh prompt follows: nothing was drawn over the prompt.
    const lines = screen.split('\n').map((line) => line.trimEnd());
    const sent = lines.findIndex((line) => /send +sent id 1 "Hello"/.test(line));
    const result = lines.findIndex((line) => line === '1');
    expect(sent).toBeGreaterThan(-1);
    expect(result).toBeGreaterThan(sent);
    expect(lines.slice(result + 1).find((line) => line !== '')).toBe('sse>');
    tmux.sendKeys(['.exit'], { literal: true });
    tmux.sendKeys(['Enter']);
    const done = await tmux.waitForScreen('the process to exit', (text) => exitedLine.test(text));
    expect(exitedLine.exec(done)?.[1]).toBe('0');
  });
});
