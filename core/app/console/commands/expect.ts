import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { channelFlag, flagValue, hasFlag } from '../../commands/arg-values.js';
import { shown } from '../../commands/messages.js';
import { checkEventName, durationMs } from '../../commands/values.js';
import type { SentEvent, SseLifecycleEvent } from '../../../index.js';
import { everyStream } from '../channels.js';
import { formatDuration } from '../format.js';

/** What an expectation waits for; every field left out matches anything. */
type ExpectTarget =
  | { readonly kind: 'event'; readonly data?: string; readonly event?: string; readonly id?: string }
  | { readonly kind: 'connections'; readonly count: number }
  | { readonly kind: 'reconnect'; readonly lastEventId?: string };

export interface ExpectCommand {
  readonly name: 'expect';
  readonly target: ExpectTarget;
  /** --channel NAME: watch /events/NAME only; absent: the main stream (events) or every stream (connections, reconnects). */
  readonly channel?: string;
  /** How long to wait; 0 (connections without `within`): checked at once. */
  readonly withinMs: number;
}

/** `within` when none is given: long enough for a browser's reconnect (about 3 s) with margin. */
const DEFAULT_WITHIN_MS = 5000;
/** The longest `within`: an expectation is a check, not a job. */
const MAX_WITHIN_MS = 10 * 60_000;
const MAX_EXPECT_CONNECTIONS = 100_000;

const KINDS = ['event', 'connections', 'reconnect'] as const;
/** The flags each kind accepts (besides --channel). */
const KIND_FLAGS: Readonly<Record<ExpectTarget['kind'], readonly string[]>> = {
  event: ['data', 'event', 'id'],
  connections: [],
  reconnect: ['last-event-id'],
};

/** `within DURATION` at the end of the words, or the default; the words before it. */
function splitWithin(
  words: readonly string[],
  fallback: number,
): { ok: true; words: readonly string[]; ms: number } | { ok: false; error: string } {
  const at = words.indexOf('within');
  if (at === -1) return { ok: true, words, ms: fallback };
  if (at !== words.length - 2) return { ok: false, error: '`within DURATION` comes last, once' };
  const text = words[at + 1] ?? '';
  const ms = durationMs(text, false);
  if (ms === undefined || ms < 1 || ms > MAX_WITHIN_MS)
    return { ok: false, error: `within ${shown(text)}: write a duration from 1ms to 10m, like 500ms, 2s or 1m` };
  return { ok: true, words: words.slice(0, at), ms };
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<ExpectCommand> {
  const [kindWord = '', ...rest] = args.positionals.map((piece) => piece.value);
  const kind = KINDS.find((entry) => entry === kindWord);
  if (kind === undefined)
    return fail(usageError(spec, `expect what? ${shown(kindWord)} is not one of ${KINDS.join(', ')}`));
  for (const name of ['data', 'event', 'id', 'last-event-id']) {
    if (hasFlag(args, name) && !KIND_FLAGS[kind].includes(name)) {
      const valid = KIND_FLAGS[kind].map((flag) => `--${flag}`);
      return fail(
        usageError(spec, `expect ${kind} takes ${[...valid, '--channel'].join(', ')}; --${name} is not one of them`),
      );
    }
  }
  const channel = channelFlag(args);
  if (!channel.ok) return fail(usageError(spec, channel.error));
  const within = splitWithin(rest, kind === 'connections' ? 0 : DEFAULT_WITHIN_MS);
  if (!within.ok) return fail(usageError(spec, within.error));
  const channelPart = channel.value === undefined ? {} : { channel: channel.value };
  let target: ExpectTarget;
  if (kind === 'connections') {
    const [count = '', ...extra] = within.words;
    const n = /^\d{1,6}$/.test(count) ? Number(count) : Number.NaN;
    if (!(n >= 0 && n <= MAX_EXPECT_CONNECTIONS) || extra.length > 0)
      return fail(
        usageError(
          spec,
          `expect connections N: N is a whole number from 0 to ${MAX_EXPECT_CONNECTIONS}; got ${shown(within.words.join(' '))}`,
        ),
      );
    target = { kind, count: n };
  } else {
    if (within.words.length > 0)
      return fail(usageError(spec, `unexpected ${shown(within.words.join(' '))}; give what to match as flags`));
    if (kind === 'event') {
      const event = flagValue(args, 'event');
      if (event !== undefined) {
        const checked = checkEventName(event);
        if (!checked.ok) return fail(usageError(spec, `--event ${checked.error}`));
      }
      const data = flagValue(args, 'data');
      const id = flagValue(args, 'id');
      target = {
        kind,
        ...(data === undefined ? {} : { data }),
        ...(event === undefined ? {} : { event }),
        ...(id === undefined ? {} : { id }),
      };
    } else {
      const lastEventId = flagValue(args, 'last-event-id');
      target = { kind, ...(lastEventId === undefined ? {} : { lastEventId }) };
    }
  }
  return done({ name: 'expect', target, withinMs: within.ms, ...channelPart });
}

const where = (channel: string | undefined): string => (channel === undefined ? '/events' : `/events/${channel}`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The expectation in words, as the pass and fail lines say it. */
export function describeExpectation(command: ExpectCommand): string {
  const { target, channel, withinMs } = command;
  const time = withinMs === 0 ? 'now' : `within ${formatDuration(withinMs)}`;
  switch (target.kind) {
    case 'event': {
      const parts = [
        target.data === undefined ? undefined : `data ${shown(target.data)}`,
        target.event === undefined ? undefined : `type ${shown(target.event)}`,
        target.id === undefined ? undefined : `id ${shown(target.id)}`,
      ].filter((part) => part !== undefined);
      const what = parts.length === 0 ? 'an event' : `an event with ${parts.join(', ')}`;
      return `${what} sent on ${where(channel)} ${time}`;
    }
    case 'connections':
      return `${plural(target.count, 'open connection')}${channel === undefined ? '' : ` on ${where(channel)}`} ${time}`;
    case 'reconnect': {
      const id = target.lastEventId === undefined ? 'a Last-Event-ID' : `Last-Event-ID ${shown(target.lastEventId)}`;
      return `a reconnect with ${id}${channel === undefined ? '' : ` on ${where(channel)}`} ${time}`;
    }
  }
}

function eventMatches(target: Extract<ExpectTarget, { kind: 'event' }>, sent: SentEvent): boolean {
  if (target.data !== undefined && sent.data !== target.data) return false;
  // An event sent without a type is a `message` event to the page.
  if (target.event !== undefined && (sent.event ?? 'message') !== target.event) return false;
  if (target.id !== undefined && (sent.id === undefined || String(sent.id) !== target.id)) return false;
  return true;
}

function describeSent(sent: SentEvent): string {
  const parts = [`data ${shown(sent.data)}`];
  if (sent.event !== undefined) parts.push(`type ${shown(sent.event)}`);
  if (sent.id !== undefined) parts.push(`id ${shown(String(sent.id))}`);
  return parts.join(', ');
}

/** Watches for the expectation; calls `verdict` once, with what was seen when it failed. */
interface Watch {
  /** Checks what holds now (connections); undefined: nothing yet. */
  readonly check?: () => boolean;
  /** What was seen, for the fail line. */
  readonly seen: () => string;
  readonly stop: () => void;
}

function watchEvents(
  command: ExpectCommand,
  target: Extract<ExpectTarget, { kind: 'event' }>,
  context: ConsoleContext,
  pass: () => void,
): Watch | string {
  let stream = context.sse;
  if (command.channel !== undefined) {
    const channel = context.channels.ensure(command.channel);
    if (!channel.ok) return channel.error;
    stream = channel.sse;
  }
  let count = 0;
  let last: SentEvent | undefined;
  const stop = stream.subscribe((event: SseLifecycleEvent) => {
    if (event.type !== 'sent') return;
    if (eventMatches(target, event.event)) pass();
    count += 1;
    last = event.event;
  });
  return {
    seen: () =>
      count === 0
        ? 'no event sent'
        : `${plural(count, 'event')} sent, none matching (last: ${last === undefined ? '' : describeSent(last)})`,
    stop,
  };
}

function watchConnections(
  command: ExpectCommand,
  target: Extract<ExpectTarget, { kind: 'connections' }>,
  context: ConsoleContext,
  pass: () => void,
): Watch {
  const { channel } = command;
  const count = (): number =>
    channel === undefined ? context.allConnections().length : (context.channels.get(channel)?.connections.length ?? 0);
  let fewest = count();
  let most = fewest;
  const check = (): boolean => {
    const now = count();
    fewest = Math.min(fewest, now);
    most = Math.max(most, now);
    return now === target.count;
  };
  const stop = context.onChange(() => {
    if (check()) pass();
  });
  return {
    check,
    seen: () => {
      const now = count();
      return fewest === most ? `${now} open` : `${now} open now, between ${fewest} and ${most} meanwhile`;
    },
    stop,
  };
}

function watchReconnects(
  command: ExpectCommand,
  target: Extract<ExpectTarget, { kind: 'reconnect' }>,
  context: ConsoleContext,
  pass: () => void,
): Watch | string {
  let streams: Pick<ReturnType<typeof everyStream>, 'subscribe'> = everyStream(context.channels);
  if (command.channel !== undefined) {
    const channel = context.channels.ensure(command.channel);
    if (!channel.ok) return channel.error;
    streams = channel.sse;
  }
  const asked: string[] = [];
  let withoutId = 0;
  const stop = streams.subscribe((event: SseLifecycleEvent) => {
    if (event.type !== 'connected') return;
    const id = event.info.lastEventIdRequested;
    if (id === undefined) {
      withoutId += 1;
      return;
    }
    if (target.lastEventId === undefined || id === target.lastEventId) pass();
    asked.push(id);
  });
  return {
    seen: () => {
      if (asked.length === 0 && withoutId === 0) return 'no new connection';
      const parts: string[] = [];
      if (asked.length > 0)
        parts.push(`${plural(asked.length, 'connection')} with Last-Event-ID ${asked.slice(-5).map(shown).join(', ')}`);
      if (withoutId > 0) parts.push(`${plural(withoutId, 'connection')} without one`);
      return parts.join(' and ');
    },
    stop,
  };
}

function run(command: ExpectCommand, context: ConsoleContext): void {
  const { emit } = context;
  const expected = describeExpectation(command);
  const origin = context.origin();
  const label = origin === undefined ? '' : ` (${origin})`;
  const location = origin === undefined ? {} : { origin };
  const startedAt = context.now();
  /** Set once the watch is armed; a verdict before that (none can come) would be dropped. */
  const armed: { settle?: (passed: boolean) => void; watch?: Watch; timer?: ReturnType<typeof setTimeout> } = {};
  let over = false;

  function pass(): void {
    if (over || armed.settle === undefined) return;
    over = true;
    const ms = context.now() - startedAt;
    armed.settle(true);
    // A check at once has no "after": the figure would be noise.
    const after = command.withinMs === 0 ? '' : ` (after ${ms} ms)`;
    emit('info', `expectation passed${label}: ${expected}${after}`, {
      type: 'expectation',
      result: 'passed',
      expected,
      ms,
      ...location,
    });
    context.changed();
  }

  function failNow(): void {
    if (over || armed.settle === undefined) return;
    over = true;
    const seen = armed.watch?.seen() ?? '';
    armed.settle(false);
    emit('error', `expectation failed${label}: expected ${expected}; saw ${seen}`, {
      type: 'expectation',
      result: 'failed',
      expected,
      seen,
      ...location,
    });
    context.changed();
  }

  const { target } = command;
  const made =
    target.kind === 'event'
      ? watchEvents(command, target, context, pass)
      : target.kind === 'connections'
        ? watchConnections(command, target, context, pass)
        : watchReconnects(command, target, context, pass);
  if (typeof made === 'string') {
    emit('error', `expect --channel: ${made}`);
    return;
  }
  armed.watch = made;
  armed.settle = context.expectations.arm({
    cancel: () => {
      made.stop();
      if (armed.timer !== undefined) clearTimeout(armed.timer);
    },
  });
  if (made.check?.() === true) {
    pass();
    return;
  }
  if (command.withinMs === 0) {
    failNow();
    return;
  }
  armed.timer = setTimeout(failNow, command.withinMs);
  emit('output', `expecting ${expected}`, { type: 'expectation', result: 'waiting', expected, ...location });
  context.changed();
}

export const expectCommand: CommandModule<ExpectCommand> = {
  spec: {
    name: 'expect',
    summary: 'Check that an event is sent, N tabs are connected or a client reconnects (lesson tests)',
    usage:
      'expect event [--data TEXT] [--event NAME] [--id ID] | connections N | reconnect [--last-event-id ID] [--channel NAME] [within DURATION]',
    positionals: [
      {
        name: 'WHAT',
        description: 'event, connections N or reconnect, then optionally `within DURATION`',
        choices: KINDS,
      },
      { name: 'WORDS', description: 'N for connections; `within DURATION`', optional: true, variadic: true },
    ],
    flags: [
      {
        name: 'data',
        short: 'd',
        value: 'TEXT',
        description: 'event: the data must be exactly TEXT (lines joined with LF)',
      },
      {
        name: 'event',
        short: 'e',
        value: 'NAME',
        description: 'event: the event type must be NAME (an event sent without one is `message`)',
      },
      { name: 'id', value: 'ID', description: 'event: the event must be sent with this id' },
      {
        name: 'last-event-id',
        value: 'ID',
        description: 'reconnect: the client must ask for this Last-Event-ID (absent: any)',
      },
      {
        name: 'channel',
        value: 'NAME',
        description: 'Watch /events/NAME only (default: events on /events; connections and reconnects on every stream)',
      },
    ],
    examples: [
      'expect event --data Hello within 2s',
      'expect event --event tick --channel clock within 3s',
      'expect event --id 5',
      'expect connections 3',
      'expect connections 2 within 10s',
      'expect connections 0 --channel chat within 1s',
      'expect reconnect --last-event-id 5 within 10s',
    ],
    explanation: [
      'Turns a lesson into a test of the stream. `expect event` passes when an event that matches every flag given is SENT from now on (the moment the line runs; events sent before do not count), on /events or on --channel NAME; --data matches the whole data exactly, --event the type (`message` when none was set), --id the id. `expect connections N` passes when exactly N connections are open (on every stream, or on --channel NAME): at once without `within`, or at any moment within the time. `expect reconnect` passes when a new connection asks for a Last-Event-ID (--last-event-id ID: that one), as a browser does when it reconnects.',
      'Each expectation waits in the background for at most DURATION (default 5s for event and reconnect; up to 10m), so a script arms it and goes on: write `expect event --data Hello within 2s` before the `send` it checks. `wait expectations` in a script waits until every armed expectation has passed or failed, and a script waits for them before it ends. A pass logs one line; a failure logs an error saying what was expected and what was seen.',
      'With `sse-console --no-tui --script FILE`, a script that used expect ends the process when it finishes: exit status 0 when every expectation passed, 1 (with how many failed) otherwise. In the TUI, passes and failures stay in the log.',
    ],
  },
  repeatable: false,
  build,
  run,
};
