import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { channelFlag, flagValue, flagValues, hasFlag, optional } from '../../commands/arg-values.js';
import { shown } from '../../commands/messages.js';
import { checkEventName, checkJson, parseConnectionId, parseMilliseconds } from '../../commands/values.js';
import type { ValueResult } from '../../commands/values.js';
import { readTextFile } from '../read-text-file.js';
import { errorMessage } from '../error-message.js';
import { decimalId } from '../../../index.js';
import { sendEvent } from '../send-event.js';

export interface SendCommand {
  readonly name: 'send';
  /** Lines of one event, joined with "\n" (repeated --data and/or positional TEXT). */
  readonly data: string;
  readonly event?: string;
  /** --id: assign the next id and store for replay; --id=ID: store under this id (a decimal integer becomes a number). */
  readonly id: boolean | string | number;
  readonly retry?: number;
  /** --json: data was checked to be JSON. */
  readonly json: boolean;
  /** --to CONN: send to one connection only, never stored. */
  readonly to?: number;
  /** --file PATH: the data is this file's content, read when the command runs (`data` is empty). */
  readonly file?: string;
  /** --channel NAME: send on /events/NAME instead of /events. */
  readonly channel?: string;
}

/** `send --file` reads files up to this size: an event is sent whole to every client. */
const maxSendFileBytes = 1024 * 1024;

/** Data lines in typed order: each run of plain words is one line, each --data another. */
function dataLines(args: ParsedArgs): string[] {
  const pieces = [
    ...args.positionals.map((piece) => ({ ...piece, plain: true })),
    ...flagValues(args, 'data').map((piece) => ({ ...piece, plain: false })),
  ].sort((a, b) => a.at - b.at);
  const lines: string[][] = [];
  let inRun = false;
  for (const piece of pieces) {
    const last = lines.at(-1);
    if (piece.plain && inRun && last !== undefined) last.push(piece.value);
    else lines.push([piece.value]);
    inRun = piece.plain;
  }
  return lines.map((line) => line.join(' '));
}

/**
`--id` (the next integer), `--id=ID` (the application's own id) or neither. A decimal
integer becomes a number (the same id on the wire, and the counter moves past it).
*/
function sendId(given: readonly string[]): ValueResult<boolean | string | number> {
  const values = [...new Set(given.filter((value) => value !== ''))];
  if (values.length > 1)
    return { ok: false, error: `--id is given two ids (${values.map((value) => shown(value)).join(', ')}); give one` };
  const [value] = values;
  if (value === undefined) return { ok: true, value: given.length > 0 };
  if (/[\r\n\0]/.test(value)) return { ok: false, error: `--id=ID may not contain CR, LF or NUL: got ${shown(value)}` };
  return { ok: true, value: decimalId(value) ?? value };
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<SendCommand> {
  const data = dataLines(args).join('\n');
  const event = optional(flagValue(args, 'event'), checkEventName);
  if (!event.ok) return fail(usageError(spec, event.error));
  const retry = optional(flagValue(args, 'retry'), parseMilliseconds);
  if (!retry.ok) return fail(usageError(spec, `--retry ${retry.error}`));
  const to = optional(flagValue(args, 'to'), (text) => parseConnectionId(text));
  if (!to.ok) return fail(usageError(spec, `--to ${to.error}`));
  const channel = channelFlag(args);
  if (!channel.ok) return fail(usageError(spec, channel.error));
  const json = hasFlag(args, 'json');
  const file = flagValue(args, 'file');
  if (file !== undefined) {
    if (data !== '' || args.positionals.length > 0 || hasFlag(args, 'data')) {
      return fail(usageError(spec, '--file PATH replaces TEXT and --data; give the data one way'));
    }
    if (file === '' || file.includes('\u0000')) return fail(usageError(spec, '--file needs a PATH (without NUL)'));
  } else if (json) {
    const checked = checkJson(data);
    if (!checked.ok) return fail(usageError(spec, checked.error));
  }
  const id = sendId(flagValues(args, 'id').map((given) => given.value));
  if (!id.ok) return fail(usageError(spec, id.error));
  return done({
    name: 'send',
    data,
    id: id.value,
    json,
    ...(event.value === undefined ? {} : { event: event.value }),
    ...(retry.value === undefined ? {} : { retry: retry.value }),
    ...(to.value === undefined ? {} : { to: to.value }),
    ...(file === undefined ? {} : { file }),
    ...(channel.value === undefined ? {} : { channel: channel.value }),
  });
}

/** `send --file`: the file's text (JSON pretty-printed with --json), or undefined after an error line. */
function fileData(file: string, json: boolean, context: ConsoleContext): string | undefined {
  const read = readTextFile(file, maxSendFileBytes);
  if (!read.ok) {
    context.emit('error', `send --file: ${read.error}`);
    return undefined;
  }
  // Line endings become LF, as a client rebuilds them; the final one (a file ends with
  // one by convention) is dropped, since sending it would add an empty data: line.
  const text = read.text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n$/, '');
  if (!json) return text;
  try {
    return JSON.stringify(JSON.parse(text) as unknown, null, 2);
  } catch (error) {
    context.emit(
      'error',
      `send --file: ${file} is not valid JSON (${errorMessage(error)}); drop --json to send it as text`,
    );
    return undefined;
  }
}

function run(command: SendCommand, context: ConsoleContext): void {
  const { channels, emit } = context;
  const data = command.file === undefined ? command.data : fileData(command.file, command.json, context);
  if (data === undefined) return;
  const input = {
    data,
    ...(command.event === undefined ? {} : { event: command.event }),
    ...(command.retry === undefined ? {} : { retry: command.retry }),
  };
  let stream = context.sse;
  if (command.channel !== undefined) {
    const channel = channels.ensure(command.channel);
    if (!channel.ok) {
      emit('error', `send --channel: ${channel.error}`);
      return;
    }
    stream = channel.sse;
  }
  if (command.to !== undefined) {
    const holder = context.streamOf(command.to);
    if (holder === undefined || (command.channel !== undefined && holder !== stream)) {
      const where = command.channel === undefined ? '' : ` on channel ${command.channel}`;
      emit('error', `no connection #${command.to}${where}; \`conns\` lists the live ones`);
      return;
    }
    holder.sendTo(command.to, input);
    return;
  }
  sendEvent(context, stream, { ...input, id: command.id });
}

export const sendCommand: CommandModule<SendCommand> = {
  spec: {
    name: 'send',
    summary: 'Send one event to every connected client (or to one, with --to)',
    usage:
      'send [TEXT] [--data TEXT]… [--file PATH] [--event NAME] [--id[=ID]] [--retry MS] [--json] [--to CONN] [--channel NAME]',
    positionals: [
      {
        name: 'TEXT',
        description: 'words of one data line, joined with spaces',
        optional: true,
        variadic: true,
      },
    ],
    flags: [
      {
        name: 'data',
        short: 'd',
        value: 'TEXT',
        repeatable: true,
        description: 'One line of data; repeat it for more lines (each becomes its own data: line)',
      },
      {
        name: 'event',
        short: 'e',
        value: 'NAME',
        description: 'Event type (event: field); pages hear it with addEventListener(NAME), not onmessage',
      },
      {
        name: 'id',
        short: 'i',
        inlineValue: 'ID',
        description:
          'Give the event the next id (1, 2, 3 …) and store it for replay; --id=ID stores it under your own id (a string or number, kept as given)',
      },
      {
        name: 'retry',
        short: 'r',
        value: 'MS',
        description: 'Also set the reconnection time in milliseconds (retry: field)',
      },
      {
        name: 'file',
        short: 'f',
        value: 'PATH',
        description: 'Send the content of a text file (up to 1 MiB) as the data, instead of TEXT and --data',
      },
      {
        name: 'json',
        short: 'j',
        description: 'Check that the data is valid JSON before sending (with --file, also pretty-print it)',
      },
      {
        name: 'to',
        short: 't',
        value: 'CONN',
        description: 'Send to one connection only (a number from conns, like 3 or #3); never stored',
      },
      {
        name: 'channel',
        short: 'c',
        value: 'NAME',
        description: 'Send on the channel /events/NAME instead of /events (its own clients, replay log and ids)',
      },
    ],
    examples: [
      'send Hello',
      'send --data "Hello World!" --id',
      'send --event my-custom-event --data "Hello World! 1"',
      'send --data "line one" --data "line two"',
      `send --json --data '{"clicked": true}'`,
      'send --retry 5000 --data "reconnect more slowly"',
      'send --to 2 "only for connection #2"',
      'send --file payload.json --json --id',
      'send --channel news --id "Extra! Extra!"',
      'send',
    ],
    explanation: [
      'An SSE event is a block of field lines ended by a blank line. Each line of data becomes a `data:` line; the browser joins them with "\\n" and fires a `message` event. Plain words form one line (`send Hello world` sends `data: Hello world`); each --data adds a line, and "\\n" inside quotes splits a line too. `send` alone sends an event with empty data, which still fires.',
      'With --event NAME the browser fires an event of that type instead: pages must call addEventListener("NAME", …) to hear it, because onmessage only hears unnamed events.',
      "With --id the event gets the stream's next id (1, 2, 3 …) and is stored in the replay log. The browser remembers the last id it saw; when the connection drops it reconnects on its own and sends that id back in the Last-Event-ID request header, and the server replays only the stored events after it. A new connection gets the whole log. Events sent without --id are not stored and cannot be replayed.",
      '--retry MS tells the browser how long to wait before reconnecting (Chromium waits 3 s by default, Firefox 5 s). --to CONN sends to one connection only, for debugging; such an event is never stored.',
      "Channels: a page that connects to /events/NAME gets only the events sent with --channel NAME, and a replay from that channel's own log, with ids of its own. `history --channel NAME` shows that log.",
      '--file PATH reads the data from a regular UTF-8 file of up to 1 MiB when the command runs, so a large payload needs no quoting; a final line ending is dropped and every other line becomes its own data: line. With --json the file must hold JSON, which is sent pretty-printed.',
    ],
  },
  repeatable: true,
  build,
  run,
};
