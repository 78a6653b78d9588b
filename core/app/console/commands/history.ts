import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { channelFlag, word } from '../../commands/arg-values.js';
import { shown } from '../../commands/messages.js';
import type { CommandSpec } from '../../commands/spec.js';
import { closestWord } from '../../commands/suggest.js';
import { statSync } from 'node:fs';
import {
  decimalId,
  type HistoryFileContents,
  type HistoryRecord,
  readHistoryFile,
  type ReplayStore,
  writeHistoryFile,
} from '../../../index.js';
import { heldEvents } from '../console-store.js';
import { errorMessage } from '../error-message.js';
import { historyRows, plural } from '../format.js';
import { fileErrorReason, loadProblemNotes } from '../history-notes.js';

export type HistoryCommand =
  | { readonly name: 'history'; readonly action: 'show'; readonly channel?: string }
  | { readonly name: 'history'; readonly action: 'clear'; readonly channel?: string }
  | { readonly name: 'history'; readonly action: 'save' | 'load'; readonly file: string };

/** `history load` reads files up to this size (the console waits while it reads). */
const maxLoadBytes = 256 * 1024 * 1024;

function historyFile(
  spec: CommandSpec,
  action: 'save' | 'load',
  file: string | undefined,
): BuildResult<HistoryCommand> {
  const usage = `history ${action} FILE`;
  if (file === undefined || file === '') return fail(usageError(spec, `${action} needs a FILE`, usage));
  if (file.includes('\u0000')) return fail(usageError(spec, 'a FILE name may not contain NUL', usage));
  return done({ name: 'history', action, file });
}

/**
The `history load` id rule: string ids (an application's own) are kept. Numeric ids
are kept when every one of them is either above every id the stream has issued or
the very event the log holds under that id (reloading the running file, or a save
whose events are still kept); otherwise the numeric ones are renumbered, in order,
from the stream's next id. Either way a number never names two different events on
the live stream.
*/
function renumberAfter(
  records: readonly HistoryRecord[],
  nextId: number,
  current: readonly HistoryRecord[],
): readonly HistoryRecord[] {
  const numeric = (id: number | string): number | undefined => (typeof id === 'number' ? id : decimalId(id));
  const held = new Map(current.map((record) => [String(record.id), record]));
  const same = (a: HistoryRecord, b: HistoryRecord | undefined): boolean =>
    b !== undefined && a.data === b.data && a.event === b.event && a.retry === b.retry;
  const fits = (record: HistoryRecord): boolean => {
    const id = numeric(record.id);
    return id === undefined || id >= nextId || same(record, held.get(String(record.id)));
  };
  if (records.every(fits)) return records;
  let next = nextId;
  return records.map((record) => (numeric(record.id) === undefined ? record : { ...record, id: next++ }));
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<HistoryCommand> {
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
}

/**
The store behind a stream when it answers asynchronously (`--redis`): its log is read
and cleared there, and the answer comes when the store does. Undefined: the stream
answers itself, synchronously.
*/
function asyncStoreOf(context: ConsoleContext, channel: string | undefined): ReplayStore | undefined {
  const { stores } = context.options;
  if (stores?.asynchronous !== true) return undefined;
  return channel === undefined ? stores.main : stores.channel(channel);
}

/** A store that did not answer, in words: which store, what it said, and that nothing changed. */
function storeFailure(context: ConsoleContext, doing: string, error: unknown): string {
  const kind = context.options.stores?.kind ?? 'memory';
  return `could not ${doing}: the ${kind} store did not answer (${errorMessage(error)}); nothing changed, try again when it is back`;
}

/** `history` and `history clear` on an asynchronous store: read (and clear) there, answer when it does. */
function runOnAsyncStore(action: 'show' | 'clear', store: ReplayStore, label: string, context: ConsoleContext): void {
  const { emit } = context;
  const kind = context.options.stores?.kind ?? 'memory';
  void heldEvents(store).then(
    (events) => {
      if (action === 'show') {
        context.output(historyRows(events));
        return;
      }
      return Promise.resolve(store.clear()).then(
        () => {
          emit('output', `${label} cleared in ${kind} (${plural(events.length, 'event')}); ids are not reused`);
          context.historyChanged();
        },
        (error: unknown) => emit('error', storeFailure(context, `clear the ${label}`, error)),
      );
    },
    (error: unknown) =>
      emit('error', storeFailure(context, action === 'show' ? `read the ${label}` : `clear the ${label}`, error)),
  );
}

/** How many channel names a "no such channel" error lists from the shared store. */
const listedSharedChannels = 20;

/** This process's channel names, for a "no such channel" error. */
function localChannels(context: ConsoleContext): readonly string[] {
  return context.channels.list().map((entry) => entry.name);
}

/** Channel names for a "no such channel" error: this process's, then the shared store's (bounded). */
async function knownChannels(
  context: ConsoleContext,
  kind: string,
  sharedChannels: (max: number) => Promise<readonly string[]>,
): Promise<string> {
  const local = localChannels(context);
  let shared: readonly string[];
  try {
    shared = await sharedChannels(listedSharedChannels + 1);
  } catch (error) {
    const here = local.length === 0 ? 'none here' : `here: ${local.join(', ')}`;
    return `${here}; the ${kind} store could not be asked (${errorMessage(error)})`;
  }
  const names = [...new Set([...local, ...shared.slice(0, listedSharedChannels)])].sort();
  const more = shared.length > listedSharedChannels ? ', …' : '';
  return names.length === 0 ? `none so far, here or in ${kind}` : `channels: ${names.join(', ')}${more}`;
}

/** The error for an unknown channel: at once without a shared store, after asking it with one. */
function noSuchChannel(name: string, context: ConsoleContext): void {
  const say = (known: string): void =>
    context.emit(
      'error',
      `no channel "${name}" yet (${known}); a page at /events/${name} or \`send --channel ${name}\` starts it`,
    );
  const { stores } = context.options;
  if (stores?.sharedChannels === undefined) {
    const local = localChannels(context);
    say(local.length === 0 ? 'none so far' : `channels: ${local.join(', ')}`);
    return;
  }
  void knownChannels(context, stores.kind, stores.sharedChannels.bind(stores)).then(say);
}

/**
`history --channel NAME` (show and clear): that channel's own log. With a shared store
(`--redis`) a channel another process opened is read (and cleared) there, without
opening a stream for it here.
*/
function runChannelHistory(action: 'show' | 'clear', name: string, context: ConsoleContext): void {
  const { channels, emit } = context;
  const channel = channels.get(name);
  const { stores } = context.options;
  const label = `history of channel ${name}`;
  if (channel === undefined) {
    if (stores?.hasSharedChannel === undefined) {
      noSuchChannel(name, context);
      return;
    }
    void stores.hasSharedChannel(name).then(
      (exists) => {
        if (exists) runOnAsyncStore(action, stores.channel(name), label, context);
        else noSuchChannel(name, context);
      },
      (error: unknown) =>
        emit('error', storeFailure(context, action === 'show' ? `read the ${label}` : `clear the ${label}`, error)),
    );
    return;
  }
  const store = asyncStoreOf(context, name);
  if (store !== undefined) {
    runOnAsyncStore(action, store, label, context);
    return;
  }
  if (action === 'show') {
    context.output(historyRows(channel.history));
    return;
  }
  const count = channel.history.length;
  channel.clearHistory();
  emit(
    'output',
    `history of channel ${name} cleared (${plural(count, 'event')}); its next id is still ${channel.nextId}`,
  );
}

/** True when `path` names the file at `running` (itself or through a symlink). */
function isSameFile(path: string, running: string): boolean {
  try {
    const a = statSync(path);
    const b = statSync(running);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

function save(file: string, context: ConsoleContext): void {
  const { sse, emit } = context;
  const running = context.options.stores?.file;
  const write = (records: readonly HistoryRecord[]): void => {
    try {
      if (running !== undefined && isSameFile(file, running.path)) {
        // A new file renamed over the running one would leave later events in the
        // unlinked old one: the store rewrites its own file with what it holds.
        sse.replaceHistory(sse.history);
      } else {
        writeHistoryFile(file, records);
      }
    } catch (error) {
      emit('error', `could not save the history to ${file}: ${fileErrorReason(error)}`);
      return;
    }
    emit('output', `saved ${plural(records.length, 'event')} to ${file}`);
  };
  const store = asyncStoreOf(context, undefined);
  if (store === undefined) {
    write(sse.history);
    return;
  }
  void heldEvents(store).then(write, (error: unknown) =>
    emit('error', storeFailure(context, `save the history to ${file}`, error)),
  );
}

/** Reads FILE for `history load` (the same limits on every store); undefined when it said why not. */
function readForLoad(file: string, context: ConsoleContext): HistoryFileContents | undefined {
  const { emit } = context;
  const { historyLimit } = context.options;
  let loaded: HistoryFileContents;
  try {
    loaded = readHistoryFile(file, {
      maxFileBytes: maxLoadBytes,
      ...(historyLimit === undefined ? {} : { keep: historyLimit }),
    });
  } catch (error) {
    emit('error', `could not read ${file}: ${fileErrorReason(error)}`);
    return undefined;
  }
  if (!loaded.existed) {
    emit('error', `no such file: ${file} (save one first with \`history save FILE\`)`);
    return undefined;
  }
  for (const note of loadProblemNotes(file, loaded)) emit(note.kind, note.text);
  if (loaded.records.length === 0 && loaded.problems.length > 0) return undefined;
  return loaded;
}

/**
`history load` on a shared store (`--redis`): the log is other processes' too, so it is
not replaced; the file's events are appended to it, in order, one at a time, and the
log gives each its id (the file's ids cannot be kept: Redis assigns them). Open
connections on every process receive them as they are written, as with `send --id`.
*/
async function appendToSharedLog(
  file: string,
  loaded: HistoryFileContents,
  store: ReplayStore,
  context: ConsoleContext,
): Promise<void> {
  const { emit } = context;
  const kind = context.options.stores?.kind ?? 'memory';
  const total = loaded.records.length;
  const limited = loaded.total === total ? '' : ` (the newest ${total} of its ${loaded.total}: the history limit)`;
  let written = 0;
  let first: number | string | undefined;
  let last: number | string | undefined;
  for (const record of loaded.records) {
    try {
      const stored = await store.append({
        id: undefined,
        data: record.data,
        ...(record.event === undefined ? {} : { event: record.event }),
        ...(record.retry === undefined ? {} : { retry: record.retry }),
        storedAt: Date.now(),
      });
      first ??= stored.id;
      last = stored.id;
      written += 1;
    } catch (error) {
      const rest = total - written;
      emit(
        'error',
        `history load stopped: the ${kind} store did not answer (${errorMessage(error)}); ${written} of ${plural(total, 'event')} from ${file} were written to the shared log${limited}, the other ${rest} were not; loading the file again would write the first ${written} twice`,
      );
      if (written > 0) context.historyChanged();
      return;
    }
  }
  const ids = first === undefined ? '' : `, ids ${first}–${last ?? first}`;
  emit(
    'output',
    `appended ${plural(written, 'event')} from ${file} to the shared ${kind} log${limited}${ids}; the file's own ids are not kept (${kind} assigns ids), and the log was not replaced (other processes share it; \`history clear\` empties it for all)`,
  );
  context.historyChanged();
}

function load(file: string, context: ConsoleContext): void {
  const { sse, emit } = context;
  const { stores } = context.options;
  const loaded = readForLoad(file, context);
  if (loaded === undefined) return;
  const shared = asyncStoreOf(context, undefined);
  if (shared !== undefined) {
    void appendToSharedLog(file, loaded, shared, context);
    return;
  }
  const records = renumberAfter(loaded.records, sse.nextId, sse.history);
  try {
    // With --history-file the store rewrites its file first; if it cannot, nothing changes.
    sse.replaceHistory(records);
  } catch (error) {
    const where =
      stores?.file === undefined ? '' : `${stores.file.path} could not be rewritten (${fileErrorReason(error)})`;
    emit('error', `could not load ${file}: ${where === '' ? errorMessage(error) : where}; the history is unchanged`);
    return;
  }
  const kept = sse.history.length;
  const counts =
    loaded.total === kept
      ? plural(kept, 'event')
      : `${plural(loaded.total, 'event')} (the history limit keeps the newest ${kept})`;
  const changed = records.filter((record, index) => record !== loaded.records[index]);
  const renumbered =
    changed[0] === undefined
      ? ''
      : `, renumbered ${changed[0].id}–${changed.at(-1)?.id ?? changed[0].id} to follow the ids already issued`;
  emit('output', `loaded ${counts} from ${file}${renumbered}; the next id is ${sse.nextId}`);
}

function clear(context: ConsoleContext): void {
  const { sse } = context;
  const running = context.options.stores?.file;
  const count = sse.history.length;
  try {
    // With --history-file the store rewrites its file first; if it cannot, memory is left as it is too.
    sse.clearHistory();
  } catch (error) {
    context.emit(
      'error',
      `could not clear the history: ${running?.path ?? 'the store'} could not be rewritten (${fileErrorReason(error)}); the history is unchanged`,
    );
    return;
  }
  const file = running ? ` and from ${running.path}` : '';
  context.emit('output', `history cleared (${plural(count, 'event')})${file}; the next id is still ${sse.nextId}`);
}

function run(command: HistoryCommand, context: ConsoleContext): void {
  const { sse } = context;
  if ((command.action === 'show' || command.action === 'clear') && command.channel !== undefined) {
    runChannelHistory(command.action, command.channel, context);
    return;
  }
  if (command.action === 'show' || command.action === 'clear') {
    const store = asyncStoreOf(context, undefined);
    if (store !== undefined) {
      runOnAsyncStore(command.action, store, 'history', context);
      return;
    }
  }
  switch (command.action) {
    case 'show':
      context.output(historyRows(sse.history));
      return;
    case 'clear':
      clear(context);
      return;
    case 'save':
      save(command.file, context);
      return;
    case 'load':
      load(command.file, context);
      return;
  }
}

export const historyCommand: CommandModule<HistoryCommand> = {
  spec: {
    name: 'history',
    summary: 'Show, clear, save or load the replay log',
    usage: 'history [clear|save FILE|load FILE] [--channel NAME]',
    positionals: [
      { name: 'ACTION', description: 'clear, save or load', optional: true },
      { name: 'FILE', description: 'a file to save to or load from', optional: true },
    ],
    flags: [
      {
        name: 'channel',
        short: 'c',
        value: 'NAME',
        description:
          'Show or clear the replay log of the channel /events/NAME (with --redis, any channel whose log is in Redis)',
      },
    ],
    subcommands: [
      { name: 'clear', usage: 'history clear', summary: 'Empty the replay log' },
      { name: 'save', usage: 'history save FILE', summary: 'Write the replay log to FILE' },
      { name: 'load', usage: 'history load FILE', summary: 'Read a replay log written by history save' },
    ],
    examples: [
      'history',
      'history clear',
      'history save events.json',
      'history load events.json',
      'history --channel news',
    ],
    explanation: [
      'The replay log holds every event sent with --id, in order. A new connection receives all of it first; a reconnecting browser that sends Last-Event-ID N receives only the events after N. If N is older than the oldest event still kept, the gap is logged and the client is told with a comment and an event: reset.',
      'Events sent without --id are never stored. `history` with no argument shows the log.',
      'Each channel (/events/NAME) has its own log: `history --channel NAME` shows it and `history clear --channel NAME` empties it (save and load work on the main log only).',
      "With --redis the log is shared: `history --channel NAME` also reads (and clears) a channel only another process opened, and `history load FILE` appends the file's events to the shared log instead of replacing it (the file's own ids are not kept: Redis assigns ids), so open connections on every process receive them; if Redis stops answering, it says how many were written.",
      'With --history-file, clear, load and a save onto that file rewrite it too, so a restart brings back what the log held. Ids never go back: loaded events with numeric ids that are not all above the ids already issued get new numbers after them (string ids are kept), and the next id survives a clear. Only regular files up to 256 MiB are loaded.',
    ],
  },
  repeatable: true,
  build,
  run,
};
