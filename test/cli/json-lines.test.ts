import { afterEach, describe, expect, it } from 'vitest';
import { jsonFormatter } from '../../cli/line-output.js';
import { createConsoleController } from '../../core/app/console/create-console-controller.js';
import type { JsonLine, LogRecord } from '../../core/app/console/log-records.js';
import type { ConsoleController, LogEntry } from '../../core/app/console/types.js';
import { createSse } from '../../core/stream/create-sse.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A console controller on a stream without listeners; `lines(act)` is what `--json` writes while `act` runs. */
function startConsole(): { controller: ConsoleController; lines: (act: () => void) => JsonLine[] } {
  const sse = createSse({ heartbeatMs: 0 });
  const controller = createConsoleController({ sse, sseUrl: 'http://127.0.0.1:1/', pagesUrl: 'http://127.0.0.1:2/' });
  stops.push(async () => {
    await controller.dispose();
    sse.stop();
  });
  const entries: LogEntry[] = [];
  controller.onLog((entry) => entries.push(entry));
  const formatter = jsonFormatter();
  return {
    controller,
    lines(act) {
      const from = entries.length;
      act();
      return entries
        .slice(from)
        .map((entry) => formatter.format(entry))
        .filter((line) => line !== undefined)
        .map((line) => JSON.parse(line) as JsonLine);
    },
  };
}

describe('--json lines: a typed union of records', () => {
  it('writes each record with its type first, its own fields, then the envelope', () => {
    const { controller, lines } = startConsole();
    const written = lines(() => controller.execute('send --id --event tick "hello"'));
    expect(written.map((line) => line.type)).toEqual(['command', 'sent']);
    const sent = written[1];
    expect(sent?.type === 'sent' && sent).toMatchObject({
      type: 'sent',
      kind: 'send',
      id: 1,
      event: 'tick',
      data: 'hello',
      connections: 0,
      text: 'sent id 1 event "tick" "hello" to 0 connections (stored for replay)',
    });
    expect(Object.keys(sent ?? {})[0]).toBe('type');
  });

  it('keeps a record’s own fields apart from the envelope: a comment record carries the comment sent', () => {
    const { controller, lines } = startConsole();
    const [, comment] = lines(() => controller.execute('comment still here'));
    expect(comment).toMatchObject({
      type: 'comment',
      comment: 'still here',
      text: 'comment "still here" to 0 connections',
    });
  });

  it('takes the type from the record only: other fields cannot set it, nor kind, time or text', () => {
    const { controller, lines } = startConsole();
    // What a JavaScript caller of controller.log (the REPL, an embedding app) could hand in.
    const forged = { type: 'listening', sse: 'http://evil.example/', kind: 'error', text: 'forged' };
    const [line] = lines(() => controller.log('info', 'a note', forged as unknown as LogRecord));
    expect(line).toMatchObject({ type: 'info', kind: 'info', text: 'a note', sse: 'http://evil.example/' });
    const [tour] = lines(() => controller.log('info', 'a step', { type: 'tour' }));
    expect(tour).toMatchObject({ type: 'tour', kind: 'info', text: 'a step' });
  });
});
