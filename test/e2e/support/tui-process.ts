import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPath, projectRoot } from '../../support/project-root.js';
import { shellQuote, startTmuxSession, type TmuxSession } from './tmux.js';

export interface TuiRun {
  readonly tmux: TmuxSession;
  /** Ends tmux and removes the prompt-history directory. Safe to call twice. */
  close(): void;
}

/** What the pane prints once the console process has ended: `EXITED <code>`. */
export const exitedLine = /^EXITED (\d+)$/m;

/**
Runs the real TUI in a tmux pane (120×40 unless told): `node dist/bin/sse-console.js --port 0 --sse-port 0`
with a clean environment (no CI variables, or Ink draws no live frame; prompt history
in a temporary directory), then prints `EXITED <code>` and keeps the pane open.
*/
export function startTuiInTmux(extraArgs: readonly string[] = [], size = { width: 120, height: 40 }): TuiRun {
  return startBinaryInTmux(['--port', '0', '--sse-port', '0', ...extraArgs], size);
}

/** Runs the real `sse-console proxy UPSTREAM --sse-port 0` TUI in a tmux pane, as startTuiInTmux does the console. */
export function startProxyTuiInTmux(upstream: string, size = { width: 80, height: 24 }): TuiRun {
  return startBinaryInTmux(['proxy', upstream, '--sse-port', '0'], size);
}

function startBinaryInTmux(args: readonly string[], size: { width: number; height: number }): TuiRun {
  const stateHome = mkdtempSync(join(tmpdir(), 'sse-console-e2e-state-'));
  const env = [
    'PATH="$PATH"',
    'HOME="$HOME"',
    'TERM="$TERM"',
    'LANG=C.UTF-8',
    `XDG_STATE_HOME=${shellQuote(stateHome)}`,
  ].join(' ');
  const commandLine = [process.execPath, binaryPath, ...args].map(shellQuote).join(' ');
  const script = `env -i ${env} ${commandLine}; echo EXITED $?; sleep 30`;
  const tmux = startTmuxSession(`sh -c ${shellQuote(script)}`, { ...size, cwd: projectRoot });
  let closed = false;
  return {
    tmux,
    close() {
      if (closed) return;
      closed = true;
      tmux.kill();
      rmSync(stateHome, { recursive: true, force: true });
    },
  };
}

/** The stream and page URLs from the status line: `SSE http://… pages http://…`. */
export function statusUrls(screen: string): { sseUrl: string; pagesUrl: string } | undefined {
  const match = /SSE (http:\/\/127\.0\.0\.1:\d+\/events)\s+pages (http:\/\/127\.0\.0\.1:\d+\/)/.exec(screen);
  return match?.[1] && match[2] ? { sseUrl: match[1], pagesUrl: match[2] } : undefined;
}

/**
Types `text` at the TUI prompt, waits until the prompt shows it (so Ink has
read every key), then presses Enter.
*/
export async function typeCommand(tmux: TmuxSession, text: string): Promise<void> {
  tmux.sendKeys([text], { literal: true });
  await tmux.waitForScreen(`the prompt to show ${JSON.stringify(text)}`, (screen) =>
    screen.split('\n').some((line) => line.trimEnd() === `› ${text}`),
  );
  tmux.sendKeys(['Enter']);
}
