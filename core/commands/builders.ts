import { usageError } from './args.js';
import type { Located, ParsedArgs } from './args.js';
import { shown } from './messages.js';
import { substitutePlaceholders } from './placeholders.js';
import type { CommandSpec, CommandWord } from './spec.js';
import { closestWord } from './suggest.js';
import { COMMANDS, NOT_REPEATABLE, findCommand } from './table.js';
import type { Command, ParseResult } from './types.js';
import {
  checkEventName,
  checkHeaderValue,
  checkJson,
  parseConnectionId,
  parseDuration,
  parseHeader,
  parseHttpUrl,
  parseJobId,
  parseMilliseconds,
  parseStatus,
} from './values.js';
import type { ValueResult } from './values.js';
import { answerHeaderProblem, answerStatusProblem } from '../http/answer-rules.js';
import { channelNameProblem } from '../stream/channel-name.js';

/** --channel NAME, checked: undefined when absent. */
function channelFlag(args: ParsedArgs): ValueResult<string | undefined> {
  return optional(flagValue(args, 'channel'), (name) => {
    const problem = channelNameProblem(name);
    return problem === undefined ? { ok: true, value: name } : { ok: false, error: `--channel: ${problem}` };
  });
}

/*
One builder per command word: it turns the split arguments into the `Command` the
controller runs, checking every value. Flag and argument counts are already checked.
*/

interface BuildContext {
  readonly spec: CommandSpec;
  /** The line as typed from the given argument on (`every` keeps it for `jobs`). */
  readonly sourceFrom: (at: number) => string;
  /** The parser itself, for `every`'s inner command. */
  readonly parseTokens: (tokens: readonly string[]) => ParseResult;
}

type Builder = (args: ParsedArgs, context: BuildContext) => ParseResult;

const done = (command: Command): ParseResult => ({ ok: true, command });
const fail = (error: string): ParseResult => ({ ok: false, error });

const flagValues = (args: ParsedArgs, name: string): readonly Located[] => args.flags.get(name) ?? [];
const flagValue = (args: ParsedArgs, name: string): string | undefined => flagValues(args, name)[0]?.value;
const hasFlag = (args: ParsedArgs, name: string): boolean => flagValues(args, name).length > 0;
const word = (args: ParsedArgs, index: number): string | undefined => args.positionals[index]?.value;

/** Check an optional flag's value: undefined when absent, else the checked result. */
function optional<T>(text: string | undefined, check: (text: string) => ValueResult<T>): ValueResult<T | undefined> {
  return text === undefined ? { ok: true, value: undefined } : check(text);
}

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

function headers(args: ParsedArgs, spec: CommandSpec): ValueResult<(readonly [string, string])[]> {
  const list: (readonly [string, string])[] = [];
  for (const { value } of flagValues(args, 'header')) {
    const header = parseHeader(value);
    if (!header.ok) return { ok: false, error: usageError(spec, `--header: ${header.error}`) };
    list.push(header.value);
  }
  return { ok: true, value: list };
}

const send: Builder = (args, { spec }) => {
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
};

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
  const number = /^(?:0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : Number.NaN;
  return { ok: true, value: Number.isSafeInteger(number) ? number : value };
}

const comment: Builder = (args, { spec }) => {
  const text = args.positionals.map((piece) => piece.value).join(' ');
  if (/[\r\n]/.test(text)) {
    return fail(usageError(spec, 'a comment is one line and may not contain CR or LF; send several comments'));
  }
  return done({ name: 'comment', text });
};

const retry: Builder = (args, { spec }) => {
  const ms = parseMilliseconds(word(args, 0) ?? '');
  return ms.ok ? done({ name: 'retry', ms: ms.value }) : fail(usageError(spec, ms.error));
};

const isRepeatable = (name: string): boolean => !(NOT_REPEATABLE as readonly string[]).includes(name);

function notRepeatable(spec: CommandSpec, name: string): ParseResult {
  const allowed = COMMANDS.map((entry) => entry.name).filter(isRepeatable);
  return fail(usageError(spec, `cannot repeat ${name}; a job can repeat ${allowed.join(', ')}`));
}

const every: Builder = (args, { spec, sourceFrom, parseTokens }) => {
  const interval = parseDuration(word(args, 0) ?? '');
  if (!interval.ok) return fail(usageError(spec, interval.error));
  const inner = args.positionals.slice(1);
  const tokens = inner.map((piece) => piece.value);
  const innerSpec = findCommand(tokens[0] ?? '');
  if (innerSpec !== undefined && !isRepeatable(innerSpec.name)) return notRepeatable(spec, innerSpec.name);
  // Check the command now, with sample values, so a mistake shows once, not at every run.
  const sample = parseTokens(substitutePlaceholders(tokens, { n: 1, now: new Date() }));
  if (!sample.ok) return fail(`every: the command to repeat is wrong: ${sample.error}`);
  if (!isRepeatable(sample.command.name)) return notRepeatable(spec, sample.command.name);
  const source = sourceFrom(inner[0]?.at ?? 0);
  return done({ name: 'every', intervalMs: interval.value, tokens, source });
};

const stop: Builder = (args, { spec }) => {
  const text = word(args, 0) ?? '';
  if (text === 'all' || text === 'script') return done({ name: 'stop', job: text });
  const job = parseJobId(text, ', all or script');
  return job.ok ? done({ name: 'stop', job: job.value }) : fail(usageError(spec, job.error));
};

const close: Builder = (args, { spec }) => {
  const text = word(args, 0) ?? '';
  if (text === 'all') return done({ name: 'close', target: 'all' });
  const target = parseConnectionId(text, ', or all');
  return target.ok ? done({ name: 'close', target: target.value }) : fail(usageError(spec, target.error));
};

const respond: Builder = (args, { spec }) => {
  const first = word(args, 0) ?? '';
  if (first === 'reset') {
    const [flag] = args.flags.keys();
    if (flag !== undefined) return fail(usageError(spec, `reset takes no flags, but got --${flag}`, 'respond reset'));
    return done({ name: 'respond-reset' });
  }
  const status = parseStatus(first);
  if (!status.ok) return fail(usageError(spec, status.error, `${spec.usage}, or respond reset`));
  const statusProblem = answerStatusProblem(status.value);
  if (statusProblem !== undefined) return fail(usageError(spec, statusProblem));
  const list = headers(args, spec);
  if (!list.ok) return fail(list.error);
  for (const [name] of list.value) {
    const problem = answerHeaderProblem(name, status.value);
    if (problem !== undefined) return fail(usageError(spec, `--header: ${problem}`));
  }
  return done({ name: 'respond', status: status.value, headers: list.value, once: hasFlag(args, 'once') });
};

function historyFile(spec: CommandSpec, action: 'save' | 'load', file: string | undefined): ParseResult {
  const usage = `history ${action} FILE`;
  if (file === undefined || file === '') return fail(usageError(spec, `${action} needs a FILE`, usage));
  if (file.includes('\u0000')) return fail(usageError(spec, 'a FILE name may not contain NUL', usage));
  return done({ name: 'history', action, file });
}

const history: Builder = (args, { spec }) => {
  const action = word(args, 0);
  const file = word(args, 1);
  const channel = channelFlag(args);
  if (!channel.ok) return fail(usageError(spec, channel.error));
  const on = channel.value === undefined ? {} : { channel: channel.value };
  if (action === undefined) return done({ name: 'history', action: 'show', ...on });
  if (action === 'save' || action === 'load') {
    if (channel.value !== undefined)
      return fail(usageError(spec, `${action} works on the main log only; leave out --channel`));
    return historyFile(spec, action, file);
  }
  if (action === 'clear') {
    return file === undefined
      ? done({ name: 'history', action: 'clear', ...on })
      : fail(usageError(spec, `clear takes no FILE; ${shown(file)} is extra`, 'history clear'));
  }
  const guess = closestWord(action, ['clear', 'save', 'load']);
  const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
  return fail(usageError(spec, `unknown action ${shown(action)}${hint}; use clear, save FILE or load FILE`));
};

const open: Builder = (args, { spec }) => {
  const page = word(args, 0);
  if (page === '') return fail(usageError(spec, 'PAGE is empty; name a page from pages, or leave it out'));
  return done(page === undefined ? { name: 'open' } : { name: 'open', page });
};

const raw: Builder = (args, { spec }) => {
  const mode = word(args, 0);
  if (mode === 'on' || mode === 'off') return done({ name: 'raw', on: mode === 'on' });
  return fail(usageError(spec, `MODE must be on or off; got ${shown(mode ?? '')}`));
};

const help: Builder = (args) => {
  const topic = word(args, 0);
  return done(topic === undefined ? { name: 'help' } : { name: 'help', topic });
};

const connect: Builder = (args, { spec }) => {
  const url = parseHttpUrl(word(args, 0) ?? '');
  if (!url.ok) return fail(usageError(spec, url.error));
  const list = headers(args, spec);
  if (!list.ok) return fail(list.error);
  const check = (text: string) => checkHeaderValue(text, 'the Last-Event-ID');
  const lastEventId = optional(flagValue(args, 'last-event-id'), check);
  if (!lastEventId.ok) return fail(usageError(spec, lastEventId.error));
  const data = flagValue(args, 'data');
  const method = flagValue(args, 'method') ?? (data === undefined ? undefined : 'POST');
  if (method !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) {
    return fail(usageError(spec, `--method expects one word such as GET, POST or PUT; got ${shown(method)}`));
  }
  if (data !== undefined && ['GET', 'HEAD'].includes((method ?? 'GET').toUpperCase())) {
    return fail(
      usageError(
        spec,
        `--data sends a body, which a ${(method ?? 'GET').toUpperCase()} request cannot have: leave --method out (POST is used) or give POST, PUT or PATCH`,
      ),
    );
  }
  if (data === '@') return fail(usageError(spec, '--data @FILE needs a file name after the @, e.g. -d @body.json'));
  return done({
    name: 'connect',
    url: url.value,
    headers: list.value,
    ...(lastEventId.value === undefined ? {} : { lastEventId: lastEventId.value }),
    ...(method === undefined ? {} : { method }),
    ...(data === undefined ? {} : { body: data.startsWith('@') ? { file: data.slice(1) } : { text: data } }),
    ...(hasFlag(args, 'insecure') ? { insecure: true } : {}),
    ...(hasFlag(args, 'reconnect') ? { reconnect: true } : {}),
  });
};

const replay: Builder = (args, { spec }) => {
  const file = word(args, 0) ?? '';
  if (file === '') return fail(usageError(spec, 'FILE is the recording to play, e.g. replay stream.jsonl'));
  const speedText = flagValue(args, 'speed');
  const speed = speedText === undefined ? 1 : /^\d+(\.\d+)?$|^\.\d+$/.test(speedText) ? Number(speedText) : Number.NaN;
  if (!(speed >= 0.01 && speed <= 1000)) {
    return fail(
      usageError(spec, `--speed expects a number from 0.01 to 1000, like 2 or 0.5; got ${shown(speedText ?? '')}`),
    );
  }
  return done({ name: 'replay', file, speed, loop: hasFlag(args, 'loop') });
};

const tour: Builder = (args, { spec }) => {
  const action = word(args, 0);
  if (action === undefined) return done({ name: 'tour', action: 'start' });
  if (action === 'next' || action === 'stop') return done({ name: 'tour', action });
  return fail(usageError(spec, `unknown action ${shown(action)}; use tour, tour next or tour stop`));
};

const filter: Builder = (args) => {
  const shownWords = args.positionals.map((positional) => positional.value).filter((text) => text !== '');
  if (shownWords.length === 0) return done({ name: 'filter', words: 'show' });
  if (shownWords.length === 1 && shownWords[0] === 'off') return done({ name: 'filter', words: 'off' });
  return done({ name: 'filter', words: shownWords });
};

const source: Builder = (args, { spec }) => {
  const file = word(args, 0) ?? '';
  if (file === '' || file.includes('\u0000'))
    return fail(usageError(spec, 'FILE is empty; name a script file or a shipped lesson'));
  return done({ name: 'source', file });
};

const plain =
  (name: 'jobs' | 'conns' | 'pages' | 'clear' | 'quit' | 'disconnect' | 'pause' | 'resume'): Builder =>
  () =>
    done({ name });

/** Every command word has exactly one builder (the type makes a missing one an error). */
export const BUILDERS: Readonly<Record<CommandWord, Builder>> = {
  send,
  comment,
  retry,
  every,
  jobs: plain('jobs'),
  stop,
  close,
  respond,
  conns: plain('conns'),
  history,
  pages: plain('pages'),
  open,
  raw,
  clear: plain('clear'),
  filter,
  pause: plain('pause'),
  resume: plain('resume'),
  help,
  quit: plain('quit'),
  connect,
  disconnect: plain('disconnect'),
  replay,
  tour,
  source,
};
