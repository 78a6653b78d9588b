import type { IncomingMessage } from 'node:http';
import { clearCore, memoryCoreOf, replaceCore } from '../history/memory-store.js';
import type { StreamParams } from '../http/request-rules.js';
import { answerText } from '../http/answer-text.js';
import { corsHeaders } from '../http/cors.js';
import { displayPath, parseTarget } from '../http/request-target.js';
import { SseArgumentError } from '../errors/sse-error.js';
import { encodeComment } from '../wire/encode-event.js';
import type { HandleHost } from './connection-handle.js';
import { Connection, type StreamResponse } from './connection.js';
import { handleStreamRequest, type StreamHost } from './handle-request.js';
import { createConnectionRegistry } from './connection-registry.js';
import { isPromiseLike } from './is-promise-like.js';
import { createReplayPump } from './replay-pump.js';
import { createSendPaths } from './send-paths.js';
import { createHeartbeat } from './heartbeat.js';
import { createLifecycleEmitter } from './lifecycle-emitter.js';
import { readSettings } from './options.js';
import { serializerFrom } from './serialize-data.js';
import { storeFromOptions } from './store-option.js';
import type {
  HistoryRecord,
  OnConnect,
  Sse,
  SseConnection,
  SseConnectionState,
  SseLifecycleEvent,
  SseListener,
  SseOptions,
} from './types.js';
import { webExchange, type WebExchange } from './web-response.js';
import type { ChunkPart } from './write-batch.js';

/** The comment written to every connection every `heartbeatMs`. */
const HEARTBEAT: ChunkPart = { bytes: encodeComment('heartbeat'), isEvent: false };

/** A frozen empty history, for a store whose contents the stream cannot read synchronously. */
const NO_RECORDS: readonly HistoryRecord[] = Object.freeze([]);

/**
An event stream: live connections plus the replay log. `State` types each
connection's `state` (the application's data about it; default a record of anything).

- `sendNewEvent({ id: true, … })` stores the event under the next integer id (after
  `persist` has accepted it), then sends it; `id: 'a string'` or `id: 42` stores it
  under the application's id (the counter moves past a larger number); without `id`
  it is only sent.
- Every send is encoded once; sends in one tick are written as one chunk per
  connection (see write-batch.ts).
- A new connection gets the stored events after its Last-Event-ID (all of them if
  none or unknown), then live events; a Last-Event-ID the store issued but no longer
  holds gets `event: reset` first (see `ReplayReset`).
- Stored events are kept in `options.store` (a `ReplayStore`; by default a memory
  store made from `historyLimit` and `historyMaxBytes`).
- Serve it with `startSseServer(port, sse)`, or mount `sse.handle(req, res)` in your
  own server (`sse.fetch(request)` in a fetch handler); each connection is an
  `SseConnection`.
- `sendNewEvent(input, { filter })` sends to the connections `filter` picks (often by
  their `state`), never stored; data that is not a string goes through `serialize`.

@throws {@link SseArgumentError} (`ERR_SSE_ARGUMENT`) for an option that is not valid, naming it and the valid form.
@example
```ts
import { createServer } from 'node:http';
import { createSse } from 'sse-console';

const sse = createSse({ historyLimit: 100, retryMs: 2000 });
sse.subscribe((event) => {
  if (event.type === 'connected') console.log(`#${event.connection.id} from ${event.connection.remoteAddress}`);
});
createServer((req, res) => void sse.handle(req, res)).listen(8122);
setInterval(() => sse.sendNewEvent({ event: 'tick', data: new Date().toISOString(), id: true }), 1000);
```
@example Per-connection state, and sends to some connections
```ts
const sse = createSse<{ userId?: string }>({
  onConnect(req, connection) {
    connection.state.userId = userFromCookie(req.headers.cookie);
  },
});
sse.sendNewEvent({ event: 'mail', data: { unread: 3 } }, { filter: (connection) => connection.state.userId === 'ada' });
```
*/
export function createSse<State extends object = SseConnectionState>(options: SseOptions<State> = {}): Sse<State> {
  const settings = readSettings(options);
  const serialize = serializerFrom(options.serialize);
  const { now } = settings;
  const emitter = createLifecycleEmitter<SseLifecycleEvent>();
  const store = storeFromOptions(options, settings);
  // A built-in store is worked on directly (no Promise, no copy per send); any other
  // store only through the ReplayStore interface. The core's counter never goes
  // backwards and passes every numeric id stored, so `id: true` never repeats one.
  const core = memoryCoreOf(store);
  if (options.store !== undefined && options.persist !== undefined) {
    throw new SseArgumentError('persist', 'persist cannot be combined with a store: the store keeps the events');
  }
  // A store shared by several processes: stored events reach connections only from its
  // feed (see `ReplayStore.follow` and `deliverFollowed`), never straight from `publish`.
  const follows = core === undefined && typeof store.follow === 'function';
  let onConnect: OnConnect<State> | undefined = options.onConnect;
  // Read by every send (see send-paths.ts).
  const run = { stopped: false };
  let lastConnectionId = 0;

  const emit = (event: SseLifecycleEvent): void => emitter.emit(event);
  const historyChanged = (): void =>
    emit({ type: 'history-changed', size: core?.log.size ?? 0, nextId: core?.nextId ?? store.nextId ?? 0 });
  const heartbeat = createHeartbeat(settings.heartbeatMs, () => {
    batch.add(HEARTBEAT);
    emit({ type: 'heartbeat', connectionCount: live.size });
  });
  const registry = createConnectionRegistry({
    issueConnectionId: settings.connectionIds ?? (() => ++lastConnectionId),
    now,
    heartbeat,
    emit,
    forget: (connection) => pump.forget(connection),
    flush: () => batch.flush(),
  });
  const { live, notOpen } = registry;
  const pump = createReplayPump({
    settings,
    store,
    core,
    registry,
    emit,
    flush: () => batch.flush(),
    historyChanged,
    isStopped: () => run.stopped,
  });
  const { startReplay, deliverFollowed } = pump;
  const sends = createSendPaths<State>({
    settings,
    serialize,
    store,
    core,
    persist: options.persist,
    follows,
    registry,
    pump,
    emit,
    historyChanged,
    run,
  });
  const { batch, sendNewEvent, publish, sendIdOnly, sendComment, sendToConnection } = sends;

  /** The connection a request will become, with its handle, before `onConnect` runs (numbered at `open`). */
  function prepare(req: IncomingMessage, res: StreamResponse, path: string, params: StreamParams): Connection {
    return new Connection({
      channel: settings.channel,
      req,
      res,
      path,
      lastEventId: params.lastEventId,
      closeAfter: params.closeAfter,
      connectedAt: now(),
      handleHost,
    });
  }

  /** Registers a stream whose headers are sent, replays, and reports. */
  function open(connection: Connection): void {
    const { req } = connection;
    const lastEventId = connection.requestedLastEventId;
    // Write what is queued first: events sent before this connection existed either
    // reach it through the replay (stored ones) or not at all, never twice.
    batch.flush();
    if (typeof req.socket.setNoDelay === 'function') {
      req.socket.setNoDelay(true); // events are small and should leave at once (no Nagle delay)
    }
    connection.streamDirect();
    registry.add(connection);

    const info = connection.info();
    const { handle } = connection;
    emit({ type: 'connected', info, connection: handle });
    startReplay(connection, lastEventId, info);
  }

  const host: StreamHost = {
    corsOrigins: () => options.corsOrigins,
    token: settings.token,
    maxConnections: settings.maxConnections,
    isStopped: () => run.stopped,
    liveCount: () => live.size,
    // The hook sees the handle typed with this stream's State (the handle's `state` starts as {}).
    onConnect: () => onConnect as OnConnect | undefined,
    closeAfterQuery: options.closeAfterQuery === true,
    refused(status, reason, req, path, handle) {
      const remoteAddress = req.socket.remoteAddress ?? '';
      emit({
        type: 'refused',
        status,
        reason,
        remoteAddress,
        path,
        ...(handle === undefined ? {} : { connection: handle }),
      });
    },
    prepare,
    open,
  };

  const handleHost: HandleHost = {
    isOpen: (connection) => live.get(connection.res) === connection,
    send: sendToConnection,
    close(connection, reason) {
      if (live.get(connection.res) !== connection) return false;
      registry.endOne(connection, reason);
      return true;
    },
  };

  /**
  The synchronous history methods work with synchronous stores only: they are checked
  first, so an asynchronous store is never asked (and its failure never lost).
  */
  function requireSynchronous(method: 'clear' | 'replace'): void {
    if (core === undefined && store.synchronous !== true) {
      throw new SseArgumentError(
        'store',
        `this stream's store answers asynchronously (it does not declare synchronous: true): call \`await store.${method}(…)\` on it`,
      );
    }
  }

  /** A synchronous store's answer to clear or replace (a Promise would break its word). */
  function awaitNothing(answer: void | Promise<void>, method: 'clear' | 'replace'): void {
    if (isPromiseLike(answer)) {
      void answer.then(historyChanged, () => undefined);
      throw new SseArgumentError('store', `the store declares synchronous: true but its ${method} answered a Promise`);
    }
  }

  /**
  The handle as this stream's callers type it: the same object, whose `state` is the
  application's `State` (it starts as {} — see `SseConnection.state`).
  */
  const handleOf = (connection: Connection): SseConnection<State> =>
    connection.handle as unknown as SseConnection<State>;

  const sse: Sse<State> = {
    sendNewEvent,
    publish,

    sendTo(connectionId, input) {
      return sendToConnection(registry.byId(connectionId) ?? notOpen(connectionId), input);
    },

    sendIdOnly,
    sendComment,

    handle(req, res) {
      return new Promise<SseConnection<State> | undefined>((resolve) => {
        handleStreamRequest(host, req, res, (connection) => resolve(connection && handleOf(connection)));
      });
    },

    fetch(request, fetchOptions) {
      let exchange: WebExchange;
      try {
        exchange = webExchange(request, fetchOptions);
      } catch (error) {
        // An SseArgumentError, as a rejection: callers of a promise look there.
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      handleStreamRequest(host, exchange.req, exchange.res, () => undefined);
      return exchange.res.response;
    },

    refuse(req, res, answer) {
      const { status, body } = answer;
      if (!Number.isInteger(status) || status < 400 || status > 599 || typeof body !== 'string') {
        throw new SseArgumentError(
          'answer',
          `refuse needs { status: 400..599, body: string, reason?, headers? }: got status ${String(status)}`,
        );
      }
      const path = displayPath(parseTarget(req.url));
      answerText(res, status, body, { ...corsHeaders(req, options.corsOrigins), ...answer.headers });
      host.refused(status, answer.reason ?? body, req, path);
    },

    get connections() {
      return Object.freeze([...live.values()].map(handleOf));
    },
    get history() {
      if (core !== undefined) return core.log.records();
      if (store.synchronous !== true) return NO_RECORDS;
      const read = store.readAfter(undefined);
      return isPromiseLike(read) ? NO_RECORDS : Object.freeze([...read.events]);
    },
    get nextId() {
      return core?.nextId ?? store.nextId ?? 0;
    },

    // Events carry handles typed with this stream's State (see `handleOf`).
    subscribe: (listener) => emitter.subscribe(listener as unknown as SseListener),

    close(connectionId) {
      registry.endOne(registry.byId(connectionId) ?? notOpen(connectionId), 'server-closed');
    },
    closeAll: () => registry.endWhere(() => true, 'server-closed'),

    clearHistory() {
      requireSynchronous('clear');
      if (core !== undefined) clearCore(core);
      else awaitNothing(store.clear(), 'clear');
      historyChanged();
    },
    replaceHistory(records) {
      requireSynchronous('replace');
      if (core !== undefined) {
        replaceCore(core, records);
      } else {
        if (store.replace === undefined) {
          throw new SseArgumentError('records', "this stream's store has no replace(): it cannot replace its history");
        }
        awaitNothing(store.replace(records), 'replace');
      }
      historyChanged();
    },

    setOnConnect(hook) {
      if (hook !== undefined && typeof hook !== 'function') {
        throw new SseArgumentError('onConnect', `onConnect must be a function or undefined: got ${typeof hook}`);
      }
      onConnect = hook;
    },

    stop() {
      if (run.stopped) {
        return;
      }
      run.stopped = true;
      unfollow?.();
      registry.endWhere(() => true, 'stopped');
      heartbeat.stop();
    },
  };

  // Last: the feed may deliver at once, and then finds every part of the stream ready.
  const unfollow = follows ? store.follow?.(deliverFollowed) : undefined;
  return sse;
}
