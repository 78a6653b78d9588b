import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { waitUntil } from '../../support/wait.js';

/** A detached tmux session on its own server socket, so cleaning up touches nothing else. */
export interface TmuxSession {
  readonly name: string;
  /**
  The visible screen as text; with `escapes`, with its colours as ANSI SGR codes; with
  `scrollback`, every row the terminal still holds above the screen too.
  */
  capture(options?: { escapes?: boolean; scrollback?: boolean }): string;
  /** `tmux send-keys`: literal text with `literal`, else key names such as Enter, Escape, C-c. */
  sendKeys(keys: readonly string[], options?: { literal?: boolean }): void;
  /** Polls the screen until `test` accepts it; returns that screen. */
  waitForScreen(what: string, test: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resizes the window, as a user dragging the terminal's edge would. */
  resize(width: number, height: number): void;
  /** A tmux format for the pane, e.g. '#{cursor_flag}'. */
  display(format: string): string;
  /** Ends the session and its server. Safe to call twice. */
  kill(): void;
}

/** Quotes `value` for sh: the one command string tmux runs. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
Starts `command` (an sh command line) in a new detached `width`×`height` session.
Each session gets its own tmux server (`-L`), with a unique name.
*/
export function startTmuxSession(
  command: string,
  options: { width: number; height: number; cwd: string },
): TmuxSession {
  const name = `sse-console-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmux = (args: readonly string[]): string =>
    execFileSync('tmux', ['-L', name, ...args], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      // tmux draws UTF-8 (the TUI's borders and arrows) only under a UTF-8 locale.
      env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
    });
  tmux([
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(options.width),
    '-y',
    String(options.height),
    '-c',
    options.cwd,
    command,
  ]);
  let killed = false;
  const session: TmuxSession = {
    name,
    capture({ escapes = false, scrollback = false } = {}) {
      return tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), ...(scrollback ? ['-S', '-'] : []), '-t', name]);
    },
    sendKeys(keys, { literal = false } = {}) {
      tmux(['send-keys', '-t', name, ...(literal ? ['-l'] : []), ...keys]);
    },
    waitForScreen(what, test, timeoutMs) {
      return waitUntil({
        what: `the terminal to show ${what}`,
        probe: () => session.capture(),
        done: test,
        intervalMs: 100,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
    },
    resize(width, height) {
      tmux(['resize-window', '-t', name, '-x', String(width), '-y', String(height)]);
    },
    display(format) {
      return tmux(['display-message', '-p', '-t', name, format]).trimEnd();
    },
    kill() {
      if (killed) return;
      killed = true;
      try {
        tmux(['kill-server']);
      } catch {
        // Already gone (the command ended and the session closed).
      }
    },
  };
  return session;
}
