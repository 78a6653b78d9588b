import type { MemoryStoreCore } from '../history/memory-store.js';
import { appendToCore } from '../history/memory-store.js';
import type { ReplayStore } from '../history/replay-store.js';
import { NoSuchConnectionError, SseArgumentError, SseError } from '../errors/sse-error.js';
import { encodeComment, encodeEvent, encodeIdOnly, isRetryOnly } from '../wire/encode-event.js';
import type { Connection } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { defined, readInput, sentEvent, storeInput, type EventFields } from './event-fields.js';
import { checkIdsLeft, checkStoredId, givenId, refuseDirectId, refuseFilteredId } from './id-policy.js';
import { isPromiseLike } from './is-promise-like.js';
import type { SseSettings } from './options.js';
import type { ReplayPump } from './replay-pump.js';
import type { Serialize } from './serialize-data.js';
import type {
  HistoryRecord,
  SentEvent,
  Sse,
  SseConnection,
  SseDirectEventInput,
  SseEventInput,
  SseLifecycleEvent,
  SseOptions,
  SseSendOptions,
} from './types.js';
import { createWriteBatch, joinParts, type WriteBatch } from './write-batch.js';

export interface SendHost {
  readonly settings: SseSettings;
  readonly serialize: Serialize;
  readonly store: ReplayStore;
  /** The built-in store's core, worked on directly; undefined for any other store. */
  readonly core: MemoryStoreCore | undefined;
  readonly persist: SseOptions['persist'];
  /** The store is shared by several processes: stored events reach connections only from its feed. */
  readonly follows: boolean;
  readonly registry: ConnectionRegistry;
  readonly pump: ReplayPump;
  readonly emit: (event: SseLifecycleEvent) => void;
  readonly historyChanged: () => void;
  /** Read on every send (a field, not a call). */
  readonly run: { readonly stopped: boolean };
}

/** Every way an event leaves the stream, and the per-tick batch they share. */
export interface SendPaths<State extends object> {
  /** Sends in one tick are written as one chunk per connection (see write-batch.ts). */
  readonly batch: WriteBatch;
  readonly sendNewEvent: Sse<State>['sendNewEvent'];
  readonly publish: Sse<State>['publish'];
  readonly sendIdOnly: Sse<State>['sendIdOnly'];
  readonly sendComment: Sse<State>['sendComment'];
  /** `sendTo` and a handle's `send`. */
  readonly sendToConnection: (connection: Connection, input: SseDirectEventInput) => SentEvent;
}

export function createSendPaths<State extends object>(host: SendHost): SendPaths<State> {
  const { settings, serialize, store, core, persist, follows, emit, historyChanged, run } = host;
  const { now } = settings;
  const { live, notOpen } = host.registry;
  const { writeTo, noteSentLive } = host.pump;
  // Stored sends through an asynchronous store, in call order (see `publish`).
  let publishing: Promise<unknown> = Promise.resolve();

  const batch = createWriteBatch((chunk) => {
    for (const connection of [...live.values()]) {
      writeTo(connection, chunk, true);
    }
  }, settings.flushMs);

  /**
  The handle as this stream's callers type it: the same object, whose `state` is the
  application's `State` (it starts as {} — see `SseConnection.state`).
  */
  const handleOf = (connection: Connection): SseConnection<State> =>
    connection.handle as unknown as SseConnection<State>;

  /** `sendTo` and a handle's `send`: one connection, never stored. */
  function sendToConnection(connection: Connection, input: SseDirectEventInput): SentEvent {
    if (connection.id === 0) {
      throw new NoSuchConnectionError(
        0,
        "this connection is not open yet (onConnect runs before it streams): send from its 'connected' event, or after `await sse.handle(req, res)`",
      );
    }
    if (!live.has(connection.res)) notOpen(connection.id);
    refuseDirectId((input as SseEventInput | null)?.id);
    const fields = readInput(input, serialize);
    const bytes = encodeEvent(fields);
    batch.flush(); // keep order with broadcasts sent earlier in this tick
    const written = writeTo(connection, joinParts([{ bytes, isEvent: true }]), true);
    const sent = sentEvent(fields, undefined, bytes, written ? 1 : 0, now());
    emit({ type: 'sent', event: sent, to: connection.id });
    return sent;
  }

  /** Sends an event a store other than the built-in ones has kept, under the id it answered. */
  function sendStored(fields: EventFields, record: HistoryRecord, sentAt: number): SentEvent {
    const encodable = { ...fields, id: record.id };
    const bytes = encodeEvent(encodable);
    batch.add({ bytes, isEvent: !isRetryOnly(encodable) });
    noteSentLive(record.id);
    const sent = sentEvent(fields, record.id, bytes, live.size, sentAt);
    emit({ type: 'sent', event: sent });
    historyChanged();
    return sent;
  }

  /** `sendNewEvent` with a stored id and a store other than the built-in ones: it must answer synchronously. */
  function sendThroughStore(fields: EventFields, given: number | string | undefined): SentEvent {
    if (store.synchronous !== true) {
      throw new SseArgumentError(
        'store',
        "this stream's store answers asynchronously (it does not declare synchronous: true): store and send with `await sse.publish(input)`",
      );
    }
    const sentAt = now();
    const record = store.append(storeInput(fields, given, sentAt));
    if (isPromiseLike(record)) {
      // Sent once stored all the same; the caller learns that the store broke its word.
      void record.then(
        (stored) => sendStored(fields, stored, sentAt),
        () => undefined,
      );
      throw new SseArgumentError('store', 'the store declares synchronous: true but its append answered a Promise');
    }
    return sendStored(fields, record, sentAt);
  }

  /** What sending on a stopped stream throws: it would store an event no connection can ever get. */
  function stoppedError(): SseError {
    return new SseError(
      'ERR_SSE_STOPPED',
      'this stream was stopped (sse.stop()), so it sends and stores nothing more; create another with createSse()',
    );
  }

  /** `sendNewEvent(input, { filter })`: the connections the filter picks, encoded once, never stored. */
  function sendFiltered(input: SseDirectEventInput, sendOptions: SseSendOptions<State>): SentEvent {
    const filter = (sendOptions as Partial<SseSendOptions<State>> | null)?.filter;
    if (typeof filter !== 'function') {
      throw new SseArgumentError(
        'filter',
        `sendNewEvent's second argument must be { filter: (connection) => boolean }: got filter ${typeof filter}`,
      );
    }
    const id = (input as SseEventInput | null)?.id;
    refuseFilteredId(id);
    const fields = readInput(input, serialize);
    const bytes = encodeEvent(fields);
    // Asked of every connection before anything is written: a filter that throws sends nothing.
    const chosen = [...live.values()].filter((connection) => filter(handleOf(connection)));
    batch.flush(); // keep order with broadcasts sent earlier in this tick
    const chunk = joinParts([{ bytes, isEvent: !isRetryOnly(fields) }]);
    let count = 0;
    for (const connection of chosen) {
      if (writeTo(connection, chunk, true)) count += 1;
    }
    const sent = sentEvent(fields, undefined, bytes, count, now());
    emit({ type: 'sent', event: sent });
    return sent;
  }

  function sendNewEvent(input: SseEventInput, sendOptions?: SseSendOptions<State>): SentEvent {
    if (run.stopped) throw stoppedError();
    if (sendOptions !== undefined) return sendFiltered(input, sendOptions);
    const fields = readInput(input, serialize);
    const given = givenId(input.id);
    if (core === undefined && input.id !== undefined && input.id !== false) {
      return sendThroughStore(fields, given);
    }
    const nextId = core?.nextId ?? 0; // core is set whenever an event is stored below
    if (input.id === true) checkIdsLeft(nextId);
    const sentAt = now();
    const id = input.id === true ? nextId : given;
    const encodable = { ...fields, id };
    const bytes = encodeEvent(encodable);
    if (id !== undefined && core !== undefined) {
      const { log } = core;
      if (log.limit > 0 && log.maxBytes > 0 && bytes.length > log.maxBytes) {
        // Kept, it would push every older event out of the log and then itself.
        throw new SseError(
          'ERR_SSE_EVENT_TOO_LARGE',
          `this event is ${bytes.length} bytes encoded, more than the replay log holds (historyMaxBytes ${log.maxBytes}), ` +
            'so it could never be replayed; nothing was sent or stored: send it without an id, or raise historyMaxBytes',
        );
      }
      const record: HistoryRecord = Object.freeze({
        id,
        data: fields.data ?? '',
        ...defined(fields),
        storedAt: sentAt,
      });
      // Stored only once persist has it, so a saved history never misses an event
      // a client saw; if persist throws, nothing is stored or sent.
      persist?.(record);
      appendToCore(core, { record, bytes });
    }
    // A retry-only block dispatches nothing in a browser, so `?closeAfter=` does not count it.
    batch.add({ bytes, isEvent: !isRetryOnly(encodable) });
    const sent = sentEvent(fields, id, bytes, live.size, sentAt);
    emit({ type: 'sent', event: sent });
    if (id !== undefined) {
      historyChanged();
    }
    return sent;
  }

  function publish(input: SseEventInput): Promise<SentEvent> {
    if (core !== undefined || store.synchronous === true) {
      try {
        return Promise.resolve(sendNewEvent(input));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    let fields: EventFields;
    let stored: HistoryRecord | Promise<HistoryRecord> | undefined;
    const sentAt = now();
    try {
      if (run.stopped) throw stoppedError();
      fields = readInput(input, serialize);
      if (input.id !== undefined && input.id !== false) {
        const given = input.id === true ? undefined : checkStoredId(input.id);
        // Asked at once, in call order; sent in call order once stored (see `publishing`).
        stored = store.append(storeInput(fields, given, sentAt));
      }
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const turn = publishing
      .then(() => stored)
      .then((record) => {
        if (record === undefined) return sendNewEvent(input);
        // Stored in the shared log: its feed sends it here as on every process, in log order.
        if (follows) return sentEvent(fields, record.id, encodeEvent({ ...fields, id: record.id }), live.size, sentAt);
        return sendStored(fields, record, sentAt);
      });
    publishing = turn.catch(() => undefined);
    return turn;
  }

  function sendIdOnly(id: string): number {
    // Dispatches nothing in a browser, so `?closeAfter=` does not count it.
    batch.add({ bytes: encodeIdOnly(id), isEvent: false });
    return live.size;
  }

  function sendComment(text: string): number {
    batch.add({ bytes: encodeComment(text), isEvent: false });
    const connectionCount = live.size;
    emit({ type: 'comment', text, connectionCount });
    return connectionCount;
  }

  return { batch, sendNewEvent, publish, sendIdOnly, sendComment, sendToConnection };
}
