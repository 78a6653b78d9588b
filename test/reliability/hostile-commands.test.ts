import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH } from '../../core/app/commands/index.js';
import type { Command, ParseResult } from '../../core/app/commands/index.js';
import { startConsole, type RunningConsole } from '../../core/app/console/start-console.js';
import type { LogEntry } from '../../core/app/console/types.js';
import { openStream, type StreamClient } from './support/stream-client.js';
import { useCleanup, waitFor, type Cleanup } from '../support/wait.js';
import { consoleLanguage } from '../../core/app/console/console-language.js';

const { commands: COMMANDS, parseCommandLine, parseTokens } = consoleLanguage;

const cleanup = useCleanup();

type SendCommand = Extract<Command, { name: 'send' }>;

/** Characters and fragments that have meaning on the wire or in a terminal. */
const nasty = fc.constantFrom(
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  '\u0000',
  '\u2028',
  '\u0085',
  '\uFEFF',
  '\u001b[2J',
  '\ud800',
  '\udc00',
  '😀',
  ':',
  ' ',
  '"',
  "'",
  '\\',
  '\\n',
  '\\r',
  'data: injected',
  '\n\nevent: injected\ndata: x\n\n',
  '\r\nid: 999\r\n\r\n',
  'retry: 1',
  ': comment',
  'event:',
  'a',
);
/** Any text: full unicode (lone surrogates included), control characters, wire syntax. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: nasty, maxLength: 12 }).map((parts) => parts),
  fc.array(nasty, { maxLength: 8 }).map((parts) => parts.join('')),
);
/** The text as a user might type it: bare, double-quoted (JSON escapes), single-quoted, or half-quoted. */
const typed = fc.oneof(
  anyText,
  anyText.map((text) => JSON.stringify(text)),
  anyText.map((text) => `'${text}'`),
  anyText.map((text) => `"${text}`),
);

const sendPart = fc.oneof(
  typed.map((text) => `--data ${text}`),
  typed.map((text) => `-d ${text}`),
  typed.map((text) => `--data=${text}`),
  typed.map((text) => `--event ${text}`),
  typed.map((text) => `-e ${text}`),
  fc.constant('--id'),
  fc.constant('-i'),
  fc.oneof(fc.nat({ max: 100_000 }).map(String), typed).map((value) => `--retry ${value}`),
  fc.constant('--json'),
  fc.constantFrom('1', '#1', '2', 'x').map((to) => `--to ${to}`),
  typed,
);
const sendLine = fc.array(sendPart, { maxLength: 6 }).map((parts) => ['send', ...parts].join(' '));

/** Every parse result must be well formed, whatever the input. */
function checkResult(line: string, result: ParseResult): void {
  if (!result.ok) {
    expect(typeof result.error).toBe('string');
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error, JSON.stringify(line)).not.toMatch(/[\r\n]/);
  }
}

describe('parseCommandLine under fuzzing', () => {
  const commandWord = fc.constantFrom(...COMMANDS.map((spec) => spec.name), 'exit', 'every 10ms', 'every 1s send');
  const lines = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: nasty, maxLength: 40 }),
    sendLine,
    fc.tuple(commandWord, fc.array(typed, { maxLength: 8 })).map(([word, rest]) => [word, ...rest].join(' ')),
  );

  it('never throws, and every error is one line', () => {
    fc.assert(
      fc.property(lines, (line) => {
        checkResult(line, parseCommandLine(line));
      }),
      { numRuns: 3000 },
    );
  });

  it('unbalanced quotes and huge arguments get one-line errors too', () => {
    fc.assert(
      fc.property(
        commandWord,
        fc.constantFrom('"', "'", 'x', '\\', '\u0000', '😀', '\n'),
        fc.integer({ min: 1, max: MAX_LINE_LENGTH + 1000 }),
        fc.boolean(),
        (word, unit, size, unbalanced) => {
          const line = `${word} ${unbalanced ? '"' : ''}${unit.repeat(Math.ceil(size / unit.length))}`;
          const result = parseCommandLine(line);
          checkResult(line, result);
          if (!result.ok) expect(result.error.length).toBeLessThan(1000);
        },
      ),
      { numRuns: 60 },
    );
  });
});

interface Harness {
  readonly running: RunningConsole;
  readonly client: StreamClient;
  readonly log: LogEntry[];
  /** Executes `line` and returns the events the client received because of it. */
  run(line: string): Promise<StreamClient['events']>;
}

/** The console's servers in this process, with one client on the stream. */
async function startHarness(cleanupTask: Cleanup): Promise<Harness> {
  const running = await startConsole({ ssePort: 0, pagePort: 0, heartbeatMs: 0 });
  cleanupTask(() => running.controller.dispose());
  const log: LogEntry[] = [];
  running.controller.onLog((entry) => {
    if (log.length < 100_000) log.push(entry);
  });
  const client = openStream(Number(new URL(running.sseUrl).port), { cleanup: cleanupTask });
  await client.until((c) => c.status === 200, 'the client to stream');
  let sentinels = 0;
  return {
    running,
    client,
    log,
    async run(line) {
      const from = client.events.length;
      running.controller.execute(line);
      // A sentinel sent after the line marks where its events end.
      sentinels += 1;
      const mark = String(sentinels);
      running.sse.sendNewEvent({ event: 'sentinel', data: mark });
      await client.until(
        (c) => c.events.at(-1)?.event === 'sentinel' && c.events.at(-1)?.data === mark,
        `sentinel ${mark}`,
      );
      return client.events.slice(from, -1);
    },
  };
}

/** What a browser must see for `text` sent as data or event: UTF-8 makes lone surrogates U+FFFD; CR and CRLF become LF. */
function asReceived(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('utf8')
    .replace(/\r\n|\r/g, '\n');
}

describe('typed send commands on a real stream', () => {
  it('each ok send arrives as exactly one event with its data, type, id and retry: nothing typed can add fields or events', async () => {
    const harness = await startHarness(cleanup);
    const clientId = harness.running.sse.connections[0]?.id;
    let executed = 0;
    await fc.assert(
      fc.asyncProperty(sendLine, async (line) => {
        const parsed = parseCommandLine(line);
        checkResult(line, parsed);
        if (!parsed.ok || parsed.command.name !== 'send') return;
        const command: SendCommand = parsed.command;
        const nextId = harness.running.sse.nextId;
        const retriesBefore = harness.client.retries.length;
        const events = await harness.run(line);
        executed += 1;
        if (command.to !== undefined && command.to !== clientId) {
          expect(events).toEqual([]); // no such connection: an error line, nothing sent
          return;
        }
        expect(events).toHaveLength(1);
        const [event] = events;
        expect(event?.data).toBe(asReceived(command.data));
        expect(event?.event).toBe(
          command.event === undefined || command.event === '' ? undefined : asReceived(command.event),
        );
        expect(event?.id).toBe(command.id && command.to === undefined ? String(nextId) : undefined);
        expect(harness.client.retries.slice(retriesBefore)).toEqual(command.retry === undefined ? [] : [command.retry]);
      }),
      { numRuns: 500 },
    );
    expect(executed).toBeGreaterThan(100); // most generated lines are valid sends
    expect(harness.client.comments).toEqual([]);
  }, 60_000);

  it('huge data, close to the line limit, arrives whole', async () => {
    const harness = await startHarness(cleanup);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1000, max: MAX_LINE_LENGTH - 100 }), nasty, async (size, unit) => {
        const text = unit.repeat(Math.floor(size / Math.max(1, JSON.stringify(unit).length)));
        const line = `send --id --data ${JSON.stringify(text)}`;
        const parsed = parseCommandLine(line);
        if (!parsed.ok || parsed.command.name !== 'send') return;
        const events = await harness.run(line);
        expect(events).toHaveLength(1);
        expect(events[0]?.data).toBe(asReceived(parsed.command.data));
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});

/** Commands that reach outside the console by design (files, the network) are not fuzzed here. */
function touchesOutside(result: ParseResult): boolean {
  if (!result.ok) return false;
  const { command } = result;
  if (command.name === 'history') return command.action === 'save' || command.action === 'load';
  if (command.name === 'connect') return true;
  if (command.name === 'every') {
    const inner = parseTokens(command.tokens);
    return inner.ok && touchesOutside(inner);
  }
  return false;
}

describe('the console controller fed random lines', () => {
  it('never throws, answers each mistake in one line, and the stream keeps working', async () => {
    const harness = await startHarness(cleanup);
    const { controller } = harness.running;
    const commandWord = fc.constantFrom(...COMMANDS.map((spec) => spec.name), 'exit', 'every 10ms', 'every 10ms send');
    const flag = fc.constantFrom(
      ...COMMANDS.flatMap((spec) => spec.flags.map((f) => `--${f.name}`)),
      '--help',
      '--',
      '-x',
    );
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      sendLine,
      fc
        .tuple(commandWord, fc.array(fc.oneof(flag, typed, fc.nat({ max: 20_000 }).map(String)), { maxLength: 6 }))
        .map(([word, rest]) => [word, ...rest].join(' ')),
    );
    // Names the console quotes back in its errors: still one line, no escape sequence.
    for (const text of [
      'open "two\\nlines"',
      'open "\u001b[2J\u001b[H"',
      `history load "no/such\\nfile${Date.now()}"`,
    ]) {
      const before = harness.log.length;
      controller.execute(text);
      const errors = harness.log.slice(before).filter((entry) => entry.kind === 'error');
      expect(errors, text).toHaveLength(1);
      expect(errors[0]?.text, text).not.toMatch(/[\u0000-\u001f]/);
    }
    let executed = 0;
    fc.assert(
      fc.property(line, (text) => {
        if (touchesOutside(parseCommandLine(text))) return;
        executed += 1;
        expect(() => controller.execute(text)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
    expect(executed).toBeGreaterThan(1000);
    // Let the jobs the fuzz started run a while, then stop them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.execute('stop all');
    controller.execute('respond reset');
    controller.execute('raw off');

    for (const entry of harness.log) {
      if (entry.kind === 'error') expect(entry.text, entry.text).not.toMatch(/[\r\n]/);
    }
    expect(controller.snapshot().jobs).toEqual([]);

    // The stream still works for a new client, with its replay and a new event.
    const fresh = openStream(Number(new URL(harness.running.sseUrl).port), { cleanup });
    await fresh.until((c) => c.status === 200, 'a new client to stream');
    controller.execute('send --id --data "still working"');
    await fresh.until((c) => c.events.at(-1)?.data === 'still working', 'the new event at the new client');
    expect(fresh.events.at(-1)?.id).toBe(String(harness.running.sse.nextId - 1));
    await waitFor(
      () => harness.log.some((entry) => entry.kind === 'send' && entry.text.includes('"still working"')),
      'the send in the log',
    );
  }, 60_000);
});
