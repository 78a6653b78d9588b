import type { RunningConsole } from '../core/app/console/start-console.js';
import { MAX_INPUT_LINE_BYTES, readInputLines } from './line-input.js';
import { listeningLine, type LineFormatter } from './line-output.js';
import { createLineWriter } from './line-writer.js';

/**
Line mode: commands are read line by line from stdin and the log goes to stdout.
The end of stdin does not stop the servers (a script may pipe a few commands and
leave the stream running); only `quit`, SIGINT, SIGTERM and a closed stdout do.
Both directions are bounded: see line-input.ts and line-writer.ts.
*/
export function runLineMode(
  running: RunningConsole,
  json: boolean,
  formatter: LineFormatter,
  stop: (code: number) => void,
): void {
  const { controller } = running;
  let quitting = false;
  const writer = createLineWriter({
    output: process.stdout,
    format: (entry) => formatter.format(entry),
    // The reader went away (`sse-console … | head`): nobody sees the log, so stop quietly.
    onClosed: () => {
      quitting = true;
      stop(0);
    },
  });
  if (json) {
    process.stdout.write(`${listeningLine({ type: 'listening', sse: running.sseUrl, pages: running.pagesUrl })}\n`);
  } else {
    controller.log('info', `SSE stream on ${running.sseUrl}, demo pages on ${running.pagesUrl}`);
    controller.log('info', 'type commands, one per line (help lists them)');
  }
  for (const note of running.notes) controller.log(note.kind, note.text);
  controller.onLog((entry) => writer.write(entry));
  controller.onQuit(() => {
    quitting = true;
    stop(0);
  });

  readInputLines(process.stdin, {
    line: (line) => controller.execute(line),
    tooLong: (bytes) =>
      controller.log(
        'error',
        `skipped an input line of ${bytes} bytes: a command line may be at most ${MAX_INPUT_LINE_BYTES} bytes`,
      ),
    end: () => {
      controller.inputEnded();
      if (!json && !quitting) controller.log('info', 'stdin ended; still serving (quit with Ctrl+C or SIGTERM)');
    },
  });
}
