import type * as NodeOs from 'node:os';
import { join } from 'node:path';
import { joinWords } from '../core/app/commands/index.js';
import { loadLesson } from '../core/app/console/load-lesson.js';
import { consoleLanguage } from '../core/app/console/console-language.js';
import { loadLocalhostCert } from '../core/app/console/localhost-cert.js';
import { lessonsDir, startConsole, type RunningConsole } from '../core/app/console/start-console.js';
import { showLine } from '../core/terminal/terminal-text.js';
import type { ConsoleArgs } from './args.js';
import type { ConsoleStores } from '../core/app/console/console-store.js';
import { runLineMode } from './line-mode.js';
import { launchCommand } from './launch-command.js';
import { lineFormatter } from './line-output.js';
import { openBrowser } from './open-browser.js';
import { errorMessage } from '../core/app/console/error-message.js';

/** Longest a clean shutdown may take before the process exits anyway. */
const shutdownLimitMs = 2000;

/** Where the console keeps what outlives a run: prompt history, the --http2 certificate. */
function stateDir(env: NodeJS.ProcessEnv): string {
  // node:os on first use: line mode never needs it.
  const os: typeof NodeOs = process.getBuiltinModule('node:os');
  const stateHome =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(os.homedir(), '.local', 'state');
  return join(stateHome, 'sse-console');
}

function promptHistoryFile(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'prompt-history');
}

/** Starts the servers and the chosen view; returns once the view runs. Exits the process on quit. */
export async function runConsole(args: ConsoleArgs): Promise<void> {
  if (args.script !== undefined) {
    // A broken script is refused before the ports are taken, like any bad option.
    const lesson = loadLesson(args.script, lessonsDir(), consoleLanguage.parseCommandLine);
    if (!lesson.ok) {
      for (const error of lesson.errors) process.stderr.write(`sse-console: --script: ${error}\n`);
      process.exitCode = 2;
      return;
    }
  }
  const useTui = args.tui && !args.json && process.stdin.isTTY && process.stdout.isTTY;
  // Ready before the console starts, so that no entry is logged before line mode listens.
  const lineOutput = useTui ? undefined : await lineFormatter(args.json, process.stdout, process.env);
  const cert = args.http2 ? await loadLocalhostCert(stateDir(process.env)) : undefined;
  // Loaded only with --redis: the Redis client is in a chunk of its own that other starts never read.
  let stores: ConsoleStores | undefined;
  if (args.redis !== undefined) {
    const { openRedisStores } = await import('../core/app/console/open-redis-stores.js');
    try {
      stores = await openRedisStores(
        args.redis,
        args.historyLimit === undefined ? {} : { maxLength: args.historyLimit },
      );
    } catch (error) {
      // Exits at once: a Redis client still trying to connect would keep the process alive.
      process.stderr.write(`sse-console: --redis: ${showLine(errorMessage(error))}\n`);
      process.exit(2);
    }
  }
  const running: RunningConsole = await startConsole({
    ...(cert === undefined ? {} : { http2: cert, notes: cert.notes }),
    ssePort: args.ssePort,
    pagePort: args.pagePort,
    host: args.host,
    strictPort: args.strictPort,
    corsOrigins: args.cors,
    openUrl: openBrowser,
    ...(args.historyLimit === undefined ? {} : { historyLimit: args.historyLimit }),
    ...(args.historyFile === undefined ? {} : { historyFile: args.historyFile }),
    ...(stores === undefined ? {} : { stores }),
    ...(args.historyMaxBytes === undefined ? {} : { historyMaxBytes: args.historyMaxBytes }),
    ...(args.heartbeatMs === undefined ? {} : { heartbeatMs: args.heartbeatMs }),
    ...(args.token === undefined ? {} : { token: args.token }),
    ...(args.maxConnections === undefined ? {} : { maxConnections: args.maxConnections }),
    launchCommand: launchCommand({ script: process.argv[1] ?? 'sse-console', cwd: process.cwd(), env: process.env }),
  });
  const { controller } = running;

  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) {
      // A second Ctrl+C while stopping forces the exit.
      process.exit(130);
    }
    stopping = true;
    const forced = setTimeout(() => process.exit(code), shutdownLimitMs);
    forced.unref();
    controller.dispose().then(
      () => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`sse-console: shutdown failed: ${showLine(errorMessage(error))}\n`);
        process.exit(1);
      },
    );
  };
  // Ctrl+C while a lesson script runs stops the script; the next one quits.
  process.on('SIGINT', () => {
    if (!controller.interrupt()) stop(0);
  });
  process.on('SIGTERM', () => stop(0));
  process.on('SIGHUP', () => stop(0));

  if (args.open !== undefined) {
    const url = new URL(args.open === 'index' ? '' : args.open, running.pagesUrl).href;
    openBrowser(url).then(
      () => controller.log('info', `opened ${url}`),
      (error: unknown) => controller.log('warn', `no browser started (${errorMessage(error)}); open ${url} yourself`),
    );
  }

  // In line mode a script that used `expect` is a test: its verdicts end the process.
  if (args.script !== undefined && lineOutput !== undefined && !args.repl) {
    controller.onScriptEnd((end) => {
      const judged = end.passed + end.failed;
      if (end.how !== 'finished' || judged === 0) return;
      const status = end.failed === 0 ? 0 : 1;
      const verdict =
        end.failed === 0
          ? `all ${judged} expectation${judged === 1 ? '' : 's'} passed`
          : `${end.failed} of ${judged} expectation${judged === 1 ? '' : 's'} failed`;
      controller.log(status === 0 ? 'info' : 'error', `${verdict}: exiting with status ${status}`);
      stop(status);
    });
  }

  // `--` so that a file named like a flag (`--script=-d`) is still the file.
  if (args.script !== undefined) controller.execute(`source -- ${joinWords([args.script])}`);

  if (args.repl) {
    const { runReplMode } = await import('./repl-mode.js');
    runReplMode(running, args.json, lineOutput ?? (await lineFormatter(args.json, process.stdout, process.env)), stop);
    return;
  }

  if (lineOutput !== undefined) {
    runLineMode(running, args.json, lineOutput, stop);
    return;
  }
  for (const note of running.notes) controller.log(note.kind, note.text);
  const { runTui } = await import('../ui/run-tui.js');
  await runTui({ controller, promptHistoryFile: promptHistoryFile(process.env) });
  stop(0);
}
