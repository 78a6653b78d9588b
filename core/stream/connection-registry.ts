import { NoSuchConnectionError } from '../errors/sse-error.js';
import type { Connection, StreamResponse, WriteOutcome } from './connection.js';
import type { Heartbeat } from './heartbeat.js';
import type { DisconnectReason, SseLifecycleEvent } from './types.js';

/** How a connection's response is finished when the stream lets it go. */
type Ending = 'end' | 'destroy' | 'none';

export interface RegistryHost {
  /** The next connection number (`connectionIds` or 1, 2, 3 …). */
  readonly issueConnectionId: () => number;
  readonly now: () => number;
  /** Runs while there are connections. */
  readonly heartbeat: Heartbeat;
  readonly emit: (event: SseLifecycleEvent) => void;
  /** Drops what else the stream holds for a connection let go (its replay). */
  readonly forget: (connection: Connection) => void;
  /** Writes what this tick queued, so a connection ended gets what was sent before. */
  readonly flush: () => void;
}

/** The stream's live connections: numbering, lookup, and letting them go. */
export interface ConnectionRegistry {
  /**
  Keyed by response so that one pair of listeners, shared by every connection, finds
  its connection from `this` (no closures per connection). Read directly by the send
  loops; changed only through this registry.
  */
  readonly live: ReadonlyMap<StreamResponse, Connection>;
  /** Numbers a connection whose headers are sent and registers it. */
  add(connection: Connection): void;
  /** Lets a connection go, exactly once, and reports why. */
  readonly release: (connection: Connection, reason: DisconnectReason, ending: Ending) => void;
  /** Applies a write outcome; true if the bytes were written. */
  readonly settle: (connection: Connection, outcome: WriteOutcome) => boolean;
  /** A live connection by number (a scan: lookups come from a person typing a command). */
  byId(connectionId: number): Connection | undefined;
  /** The one "no such connection" error: names the number and lists the open ones. */
  readonly notOpen: (connectionId: number) => never;
  /** Ends one live connection (one step, where `endWhere` scans them all: `stop()` ends thousands one by one). */
  endOne(connection: Connection, reason: DisconnectReason): void;
  /** Ends the live connections `test` picks; how many. */
  endWhere(test: (connection: Connection) => boolean, reason: DisconnectReason): number;
}

export function createConnectionRegistry(host: RegistryHost): ConnectionRegistry {
  const { heartbeat, emit, forget, flush } = host;
  const live = new Map<StreamResponse, Connection>();

  function release(connection: Connection, reason: DisconnectReason, ending: Ending): void {
    if (!live.delete(connection.res)) {
      return;
    }
    forget(connection);
    if (live.size === 0) {
      heartbeat.stop();
    }
    if (ending === 'end') {
      connection.res.end();
    } else if (ending === 'destroy') {
      connection.res.destroy();
    }
    emit({ type: 'disconnected', info: connection.info(), connection: connection.handle, reason });
  }

  // Shared by every connection's response (`this`); see `live`.
  function onResponseClose(this: StreamResponse): void {
    const connection = live.get(this);
    if (connection !== undefined) {
      release(connection, 'client-closed', 'none');
    }
  }
  function onResponseError(this: StreamResponse): void {
    const connection = live.get(this);
    if (connection !== undefined) {
      release(connection, 'error', 'destroy');
    }
  }

  return {
    live,
    add(connection) {
      const { res } = connection;
      connection.id = host.issueConnectionId();
      connection.connectedAt = host.now();
      live.set(res, connection);
      res.on('close', onResponseClose);
      res.on('error', onResponseError);
      heartbeat.start();
    },
    release,
    settle(connection, outcome) {
      switch (outcome) {
        case 'written':
          return true;
        case 'close-after':
          release(connection, 'close-after', 'end');
          return true;
        case 'slow':
          // Its unsent bytes would pass maxBufferedBytes: drop it rather than let
          // memory grow; the others keep receiving.
          release(connection, 'slow-client', 'destroy');
          return false;
        case 'failed':
          release(connection, 'error', 'destroy');
          return false;
      }
    },
    byId(connectionId) {
      for (const connection of live.values()) {
        if (connection.id === connectionId) {
          return connection;
        }
      }
      return undefined;
    },
    notOpen(connectionId) {
      const open = [...live.values()]
        .slice(0, 20)
        .map(({ id }) => `#${id}`)
        .join(', ');
      throw new NoSuchConnectionError(
        connectionId,
        `connection #${connectionId} is not open (open connections: ${open || 'none'})`,
      );
    },
    endOne(connection, reason) {
      flush(); // deliver what was sent before hanging up
      release(connection, reason, 'end');
    },
    endWhere(test, reason) {
      flush(); // deliver what was sent before hanging up
      let count = 0;
      for (const connection of [...live.values()]) {
        if (live.has(connection.res) && test(connection)) {
          release(connection, reason, 'end');
          count += 1;
        }
      }
      return count;
    },
  };
}
