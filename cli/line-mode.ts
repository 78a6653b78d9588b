import { createInterface } from 'node:readline';
import type { RunningConsole } from '../core/console/start-console.js';
import { colourWanted, humanFormatter, jsonFormatter } from './line-output.js';

/**
Line mode: commands are read line by line from stdin and the log goes to stdout.
The end of stdin does not stop the servers (a script may pipe a few commands and
leave the stream running); only `quit`, SIGINT and SIGTERM do.
*/
export function runLineMode(running: RunningConsole, json: boolean, stop: (code: number) => void): void {
  const { controller } = running;
  const formatter = json ? jsonFormatter() : humanFormatter(colourWanted(process.stdout, process.env));
  if (json) {
    process.stdout.write(`${JSON.stringify({ type: 'listening', sse: running.sseUrl, pages: running.pagesUrl })}\n`);
  } else {
    controller.log('info', `SSE stream on ${running.sseUrl}, demo pages on ${running.pagesUrl}`);
    controller.log('info', 'type commands, one per line (help lists them)');
  }
  for (const note of running.notes) controller.log(note.kind, note.text);
  controller.onLog((entry) => {
    const line = formatter.format(entry);
    if (line !== undefined) process.stdout.write(`${line}\n`);
  });
  let quitting = false;
  controller.onQuit(() => {
    quitting = true;
    stop(0);
  });

  const input = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  input.on('line', (line) => controller.execute(line));
  input.on('close', () => {
    if (!json && !quitting) controller.log('info', 'stdin ended; still serving (quit with Ctrl+C or SIGTERM)');
  });
}
