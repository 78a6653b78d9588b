import { clearLine, cursorTo } from 'node:readline';
import { start as startRepl, type REPLServer } from 'node:repl';
import { Writable } from 'node:stream';
import * as library from '../core/index.js';
import type { RunningConsole } from '../core/app/console/start-console.js';
import type { ConsoleController } from '../core/app/console/types.js';
import { listeningLine, type LineFormatter } from './line-output.js';

/**
With --json, stdout carries only NDJSON: what the REPL prints (results, errors) becomes
log entries of type `repl`, one per line, instead of raw text.
*/
function replOutputAsLog(controller: ConsoleController): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() !== '') controller.log('output', line, { type: 'repl' });
      }
      done();
    },
  });
}

/**
`sse-console --repl`: the console's log as in line mode, plus a Node REPL in which the
library is in scope, so the library API is taught in the same session as the commands:

  sse> sse.sendNewEvent({ data: 'Hello', id: true })

Bound: `sse` (the main stream), `server` (its listener), `channel(name)` (the stream of
/events/NAME, made if new), `run(line)` (a console command) and every export of the
library (createSse, startSseServer, encodeEvent …). `.exit` or Ctrl+D quits.
*/
export function runReplMode(
  running: RunningConsole,
  json: boolean,
  formatter: LineFormatter,
  stop: (code: number) => void,
): void {
  const { controller } = running;
  const terminal = !json && process.stdin.isTTY && process.stdout.isTTY;
  if (json) {
    process.stdout.write(`${listeningLine({ type: 'listening', sse: running.sseUrl, pages: running.pagesUrl })}\n`);
  } else {
    controller.log('info', `SSE stream on ${running.sseUrl}, demo pages on ${running.pagesUrl}`);
    controller.log(
      'info',
      'a Node REPL with sse, server, channel(name), run(command) and the library in scope; try sse.sendNewEvent({ data: "Hello", id: true })',
    );
  }
  for (const note of running.notes) controller.log(note.kind, note.text);

  // The log first, so start-up lines come before the first prompt.
  // `evaluating`: from Enter until the REPL shows its next prompt. A log line that
  // arrives then (a send made by the line itself) must not draw a prompt of its own.
  const view: { repl?: REPLServer; evaluating: boolean } = { evaluating: false };
  controller.onLog((entry) => {
    const line = formatter.format(entry);
    if (line === undefined) return;
    if (!terminal) {
      process.stdout.write(`${line}\n`);
      return;
    }
    // A log line arrives while the user types: print it above the prompt, then redraw the prompt and the line.
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
    process.stdout.write(`${line}\n`);
    if (!view.evaluating) view.repl?.displayPrompt(true);
  });
  const repl = startRepl({
    prompt: json ? '' : 'sse> ',
    input: process.stdin,
    output: json ? replOutputAsLog(controller) : process.stdout,
    terminal,
    useGlobal: false,
    ignoreUndefined: true,
  });
  view.repl = repl;
  repl.prependListener('line', (line: string) => {
    view.evaluating = true;
    // An empty line is the Enter a lesson script's `wait enter` waits for.
    if (line.trim() === '') controller.execute('');
  });
  const displayPrompt = repl.displayPrompt.bind(repl);
  repl.displayPrompt = (preserveCursor?: boolean) => {
    view.evaluating = false;
    displayPrompt(preserveCursor);
  };
  Object.assign(repl.context, library, {
    sse: running.sse,
    server: running.server,
    // Typed at a REPL, so anything may arrive: made a string first.
    channel(name: unknown): library.Sse {
      const found = running.channels.ensure(String(name));
      if (!found.ok) throw new Error(found.error);
      return found.sse;
    },
    run(line: unknown): void {
      controller.execute(String(line));
    },
  });

  controller.onQuit(() => stop(0));
  repl.on('exit', () => stop(0));
}
