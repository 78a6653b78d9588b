import type { ConsoleController } from '../core/app/console/types.js';
import { loadPromptHistory } from '../core/app/prompt-history/prompt-history.js';
import { createPromptHistoryWriter } from './prompt/prompt-history-writer.js';

export interface RunTuiOptions {
  /** Everything the screen shows and every command typed goes through it. */
  readonly controller: ConsoleController;
  /** Where ↑/↓ history is kept across runs; absent keeps it for this run only. */
  readonly promptHistoryFile?: string;
  /** Default process.stdin. */
  readonly stdin?: NodeJS.ReadStream;
  /** Default process.stdout. */
  readonly stdout?: NodeJS.WriteStream;
}

/**
Loads Ink, React and the app with React's production build unless NODE_ENV says
otherwise. React picks its build from NODE_ENV when it is first loaded (hence the
imports here, not at the top, and no JSX in this file: it would import React's JSX
runtime before the variable is set), and its development build checks every render: under
a flood of events it costs several times the CPU. The variable stays set, as
libraries may read it again later and must see the same build.
*/
async function loadUi(): Promise<[typeof import('ink'), typeof import('react'), typeof import('./app.js')]> {
  process.env['NODE_ENV'] ??= 'production';
  return Promise.all([import('ink'), import('react'), import('./app.js')]);
}

/** Ink colours through chalk's shared instance: give it the level of the console's one rule. */
async function setInkColorLevel(stdout: NodeJS.WriteStream): Promise<void> {
  const [{ default: chalk }, { colorLevel }] = await Promise.all([
    import('chalk'),
    import('../core/app/console/color-rule.js'),
  ]);
  chalk.level = colorLevel({ env: process.env, stream: stdout });
}

/**
Runs the terminal UI until the user quits (Ctrl+C or `quit`). Resolves once Ink has
unmounted and given the terminal back (raw mode off, cursor shown) and the prompt
history is saved; the caller then disposes the controller.
*/
export async function runTui(options: RunTuiOptions): Promise<void> {
  const { controller, promptHistoryFile } = options;
  let initialHistory: readonly string[] = [];
  let writer: ReturnType<typeof createPromptHistoryWriter> | undefined;
  if (promptHistoryFile !== undefined) {
    const loaded = await loadPromptHistory(promptHistoryFile);
    initialHistory = loaded.lines;
    if (loaded.warning !== undefined) controller.log('warn', loaded.warning);
    writer = createPromptHistoryWriter(promptHistoryFile, (text) => controller.log('warn', text), {
      alreadyWarned: loaded.warning !== undefined,
    });
  }
  const [{ render }, { createElement }, { App }] = await loadUi();
  await setInkColorLevel(options.stdout ?? process.stdout);
  const instance = render(
    createElement(App, { controller, initialHistory, ...(writer ? { rememberLine: writer.remember } : {}) }),
    {
      ...(options.stdin ? { stdin: options.stdin } : {}),
      ...(options.stdout ? { stdout: options.stdout } : {}),
      // Ctrl+C is the app's: the first one quits cleanly, a second one forces.
      exitOnCtrlC: false,
      // Nothing else may print while Ink owns the screen; the controller's log is the way.
      patchConsole: false,
      // The controller's changes render at most once per 50 ms (the app's frameMs); the
      // higher cap lets a keystroke's echo out within ~16 ms instead of waiting up to
      // 50 ms for the next slot under a flood.
      maxFps: 60,
      // Not `incrementalRendering`: with Ink 6.8 it leaves copies of the live lines in
      // the scrollback when <Static> log lines are written above them.
      incrementalRendering: false,
    },
  );
  // The terminal went away (its window closed, ssh dropped): stdout fails with EPIPE or
  // EIO and stdin ends. Nobody can see or type anymore, so the TUI ends as on `quit`
  // and the caller frees the ports, instead of spinning on a dead terminal.
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const terminalGone = (): void => instance.unmount();
  stdout.on('error', terminalGone);
  stdin.on('error', terminalGone);
  stdin.on('end', terminalGone);
  try {
    await instance.waitUntilExit();
  } finally {
    stdin.off('end', terminalGone);
    // Left on: a write still queued may fail after the end, and an 'error' without a
    // listener would crash the process with a stack trace.
    await writer?.flush();
  }
}
