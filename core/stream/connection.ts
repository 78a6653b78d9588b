import type { IncomingMessage, ServerResponse } from 'node:http';
import { printable } from '../http/printable.js';
import type { ConnectionInfo } from './types.js';
import type { Chunk } from './write-batch.js';

/**
How a write went: `slow` means nothing was written because the connection already
holds too many unsent bytes; `close-after` means its `closeAfter` count was reached
(the bytes past that event were not written).
*/
export type WriteOutcome = 'written' | 'slow' | 'close-after' | 'failed';

export interface ConnectionSetup {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Display path (token redacted). */
  readonly path: string;
  /** The raw cursor the client asked for, if any. */
  readonly lastEventId: string | undefined;
  readonly closeAfter: number | undefined;
  readonly maxBufferedBytes: number;
  readonly connectedAt: number;
}

export interface Connection {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly eventsSent: number;
  /** A fresh read-only snapshot for observers. */
  info(): ConnectionInfo;
  /** Writes a chunk; `enforceLimit` false only for the initial replay (bounded by the log). */
  write(chunk: Chunk, enforceLimit: boolean): WriteOutcome;
}

/**
One live response: its counters, its `closeAfter` budget and the slow-client rule.
The stream decides what to do with an outcome (drop, end, report).
*/
export function createConnection(setup: ConnectionSetup): Connection {
  const { req, res, maxBufferedBytes } = setup;
  const socket = req.socket;
  // Captured now: once the socket closes, Node no longer reports the peer.
  const remoteAddress = socket.remoteAddress ?? '';
  const remotePort = socket.remotePort ?? 0;
  const userAgent = printable(req.headers['user-agent'] ?? '', 256);
  const lastEventIdRequested = setup.lastEventId === undefined ? undefined : printable(setup.lastEventId, 256);
  let eventsSent = 0;
  let bytesSent = 0;
  let eventsLeft = setup.closeAfter;

  function write(chunk: Chunk, enforceLimit: boolean): WriteOutcome {
    let bytes = chunk.bytes;
    let events = chunk.eventEnds.length;
    let reachedLimit = false;
    if (eventsLeft !== undefined && events >= eventsLeft) {
      // Cut right after the last event this connection may still get (a zero-copy view).
      bytes = bytes.subarray(0, chunk.eventEnds[eventsLeft - 1]);
      events = eventsLeft;
      reachedLimit = true;
    }
    // The bound on memory: refuse to queue more than maxBufferedBytes for one client.
    // `writableLength` counts what Node holds for this response and its socket.
    if (enforceLimit && res.writableLength + bytes.length > maxBufferedBytes) {
      return 'slow';
    }
    if (bytes.length > 0) {
      try {
        // The return value (false = "wait for drain") is not awaited: the limit
        // above is the backpressure, so one stalled client never delays the others.
        res.write(bytes);
      } catch {
        return 'failed';
      }
    }
    bytesSent += bytes.length;
    eventsSent += events;
    if (eventsLeft !== undefined) {
      eventsLeft -= events;
    }
    return reachedLimit ? 'close-after' : 'written';
  }

  return {
    id: setup.id,
    req,
    res,
    get eventsSent() {
      return eventsSent;
    },
    info() {
      return Object.freeze({
        id: setup.id,
        remoteAddress,
        remotePort,
        userAgent,
        path: setup.path,
        lastEventIdRequested,
        connectedAt: setup.connectedAt,
        eventsSent,
        bytesSent,
        bufferedBytes: res.writableLength,
        slow: res.writableNeedDrain,
      });
    },
    write,
  };
}
