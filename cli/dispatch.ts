import { LINE_COLUMNS, showLine } from '../core/terminal/terminal-text.js';
import { parseConsoleArgs } from './args.js';
import { consoleHelp } from './help-text.js';
import { packageVersion } from './version.js';
import { errorMessage } from '../core/app/console/error-message.js';
import { PAGES } from '../core/app/pages/page-list.js';
import { onStopSignal } from './stop-signals.js';

/**
What the `sse-console` binary does, once main.ts has checked the Node version.
Everything heavy is imported on demand: `--help`,
`--version`, line mode, `connect` and `doctor` never load Ink or React.
*/
async function main(argv: string[]): Promise<number | undefined> {
  if (argv[0] === 'connect') {
    const { runConnect } = await import('./connect.js');
    return runConnect(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  }
  if (argv[0] === 'doctor') {
    const { runDoctor } = await import('./doctor.js');
    return runDoctor(argv.slice(1), { stdout: process.stdout, stderr: process.stderr });
  }
  if (argv[0] === 'bench') {
    const { runBench } = await import('./bench.js');
    const stop = new AbortController();
    // Ctrl+C or SIGTERM ends the run early; the figures so far are still printed.
    onStopSignal(() => stop.abort());
    return runBench(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, signal: stop.signal });
  }
  if (argv[0] === 'proxy') {
    const { runProxy } = await import('./proxy.js');
    return runProxy(argv.slice(1));
  }
  const parsed = parseConsoleArgs(argv, ['index', ...PAGES.map((page) => page.name)]);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(consoleHelp(packageVersion()));
      return 0;
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case 'error':
      process.stderr.write(`sse-console: ${oneMessage(parsed.message)}\n`);
      return 2;
    case 'run': {
      const { runConsole } = await import('./run-console.js');
      await runConsole(parsed.args);
      return undefined;
    }
  }
}

/** An error for the terminal: it may quote what was typed or a file name, so each line is cut and escaped. */
function oneMessage(message: string): string {
  return message
    .split('\n')
    .map((line) => showLine(line, LINE_COLUMNS))
    .join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sse-console: ${oneMessage(errorMessage(error))}\n`);
    process.exitCode = 1;
  },
);
