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

/** `history --channel NAME` (show and clear): that channel's own log. */
function runChannelHistory(action: 'show' | 'clear', name: string, context: ConsoleContext): void {
  const { channels, emit } = context;
  const channel = channels.get(name);
  if (channel === undefined) {
    const known = channels.list().map((entry) => entry.name);
    emit(
      'error',
      `no channel "${name}" yet (${known.length === 0 ? 'none so far' : `channels: ${known.join(', ')}`}); a page at /events/${name} or \`send --channel ${name}\` starts it`,
    );
    return;
  }
  const store = asyncStoreOf(context, name);
  if (store !== undefined) {
    runOnAsyncStore(action, store, `history of channel ${name}`, context);
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

function load(file: string, context: ConsoleContext): void {
  const { sse, emit } = context;
  const { stores, historyLimit } = context.options;
  if (stores?.asynchronous === true) {
    emit(
      'error',
      `history load replaces the log, and the ${stores.kind} store is shared with other processes; send the events instead (\`replay FILE\` plays a recording)`,
    );
    return;
  }
  let loaded: HistoryFileContents;
  try {
    loaded = readHistoryFile(file, {
      maxFileBytes: maxLoadBytes,
      ...(historyLimit === undefined ? {} : { keep: historyLimit }),
    });
  } catch (error) {
    emit('error', `could not read ${file}: ${fileErrorReason(error)}`);
    return;
  }
  if (!loaded.existed) {
    emit('error', `no such file: ${file} (save one first with \`history save FILE\`)`);
    return;
  }
  for (const note of loadProblemNotes(file, loaded)) emit(note.kind, note.text);
  if (loaded.records.length === 0 && loaded.problems.length > 0) return;
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
        description: 'Show or clear the replay log of the channel /events/NAME',
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
      'With --history-file, clear, load and a save onto that file rewrite it too, so a restart brings back what the log held. Ids never go back: loaded events with numeric ids that are not all above the ids already issued get new numbers after them (string ids are kept), and the next id survives a clear. Only regular files up to 256 MiB are loaded.',
    ],
  },
  repeatable: true,
  build,
  run,
};
