import { render } from 'ink';
import type { ConsoleController } from '../core/console/types.js';
import { loadPromptHistory } from '../core/prompt-history/prompt-history.js';
import { App } from './app.js';
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
  const instance = render(
    <App controller={controller} initialHistory={initialHistory} {...(writer ? { rememberLine: writer.remember } : {})} />,
    {
      ...(options.stdin ? { stdin: options.stdin } : {}),
      ...(options.stdout ? { stdout: options.stdout } : {}),
      // Ctrl+C is the app's: the first one quits cleanly, a second one forces.
      exitOnCtrlC: false,
      // Nothing else may print while Ink owns the screen; the controller's log is the way.
      patchConsole: false,
      // The app renders at most once per 50 ms frame; Ink needs no more.
      maxFps: 20,
      // Not `incrementalRendering`: with Ink 6.8 it leaves copies of the live lines in
      // the scrollback when <Static> log lines are written above them.
      incrementalRendering: false,
    },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    await writer?.flush();
  }
}
