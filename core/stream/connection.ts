import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { printable } from '../http/printable.js';
import { ConnectionHandle, type HandleHost } from './connection-handle.js';
import type { ConnectionInfo, SseConnection } from './types.js';
import { directSocket } from './direct-socket.js';
import { frameBytes, type Chunk } from './write-batch.js';

/**
What a connection's answer is written to: node:http's (or node:http2's) response, or
the web stream behind a Response from `sse.fetch` (see web-response.ts). The few
members of ServerResponse the stream uses, so one connection model serves both and
the node:http path runs exactly the calls it always ran.
*/
export interface StreamResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  /** Bytes written but not yet taken by the client's side (the slow-client measure). */
  readonly writableLength: number;
  /** node:http2's compatibility response lacks it before Node 24 (see `needsDrain`). */
  readonly writableNeedDrain?: boolean;
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  writeHead(status: number, reason: string, headers: OutgoingHttpHeaders): unknown;
  flushHeaders(): void;
  write(chunk: Uint8Array): unknown;
  end(body?: string): unknown;
  destroy(): unknown;
  on(event: 'close' | 'error', listener: () => void): unknown;
  once(event: 'close' | 'drain', listener: () => void): unknown;
}

/**
Whether `res` asks its writer to wait for 'drain'. node:http2's compatibility
response gained `writableNeedDrain` only in recent Node releases (24); before, the
answer is on its Http2Stream (`res.stream`). One property read more on HTTP/2 only:
node:http's response always has it.
*/
export function needsDrain(res: StreamResponse): boolean {
  return (
    res.writableNeedDrain ??
    (res as { readonly stream?: { readonly writableNeedDrain?: boolean } }).stream?.writableNeedDrain ??
    false
  );
}

/**
How a write went: `slow` means nothing was written because the connection already
holds too many unsent bytes; `close-after` means its `closeAfter` count was reached
(the bytes past that event were not written).
*/
export type WriteOutcome = 'written' | 'slow' | 'close-after' | 'failed';

export interface ConnectionSetup {
  readonly req: IncomingMessage;
  readonly res: StreamResponse;
  /** Display path (token redacted). */
  readonly path: string;
  /** The raw cursor the client asked for, if any. */
  readonly lastEventId: string | undefined;
  readonly closeAfter: number | undefined;
  readonly connectedAt: number;
  /** The stream's channel name, shared by all its connections. */
  readonly channel?: string | undefined;
  /** The stream side of every handle (one object per stream). */
  readonly handleHost: HandleHost;
}

/**
One live response: its counters, its `closeAfter` budget and the slow-client rule.
The stream decides what to do with an outcome (drop, end, report).

A class rather than a closure factory because a stream holds one per open
connection, tens of thousands of them: an instance is one small object whose
methods live once on the prototype, where a factory would allocate a context, a
closure per method and a getter pair for every connection. Text shown to
observers (`info()`) is made printable when asked for, not kept twice.
*/
export class Connection {
  /**
  0 until the stream opens, then its number: only connections that stream get one,
  so refusals leave no gaps in the numbering.
  */
  id = 0;
  readonly req: IncomingMessage;
  readonly res: StreamResponse;
  readonly path: string;
  /** When it was prepared; set again when the stream opens (after an async onConnect). */
  connectedAt: number;
  readonly channel: string | undefined;
  // Captured now: once the socket closes, Node no longer reports the peer.
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly requestedLastEventId: string | undefined;
  /** The public handle, made once with the connection. */
  readonly handle: SseConnection;
  /** Events still allowed by `closeAfter`; undefined when there is no such limit. */
  private eventsLeft: number | undefined;
  private sent = 0;
  private bytesSent = 0;
  /** Set once its headers are sent, on HTTP/1.1: chunks go here framed, not through `res.write`. */
  private socket: Socket | undefined;

  constructor(setup: ConnectionSetup) {
    const socket = setup.req.socket;
    this.req = setup.req;
    this.res = setup.res;
    this.path = setup.path;
    this.connectedAt = setup.connectedAt;
    this.channel = setup.channel;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    this.requestedLastEventId = setup.lastEventId;
    this.eventsLeft = setup.closeAfter;
    this.handle = new ConnectionHandle(this, setup.handleHost);
  }

  /**
  Called once the headers are sent: from then on an HTTP/1.1 connection is written
  the shared framed chunk on its socket, when node:http allows (see direct-socket.ts).
  */
  streamDirect(): void {
    this.socket = directSocket(this.res);
  }

  /** Whether its writer should wait for 'drain' (the replay's pacing). */
  /**
  Bytes written and not yet taken by the kernel, framing included: what the socket
  holds when this connection writes to it directly (the response then holds nothing),
  else what the response and its socket hold.
  */
  bufferedBytes(): number {
    return this.socket === undefined ? this.res.writableLength : this.socket.writableLength;
  }

  needsDrain(): boolean {
    return this.socket === undefined ? needsDrain(this.res) : this.socket.writableNeedDrain;
  }

  /** Calls `listener` once the bytes written so far have been taken (see `needsDrain`). */
  onceDrained(listener: () => void): void {
    if (this.socket === undefined) this.res.once('drain', listener);
    else this.socket.once('drain', listener);
  }

  get eventsSent(): number {
    return this.sent;
  }

  /** A fresh read-only snapshot for observers. */
  info(): ConnectionInfo {
    const { requestedLastEventId: lastEventId } = this;
    return Object.freeze({
      id: this.id,
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
      userAgent: printable(this.req.headers['user-agent'] ?? '', 256),
      ...(this.req.headers.accept === undefined ? {} : { accept: printable(this.req.headers.accept, 256) }),
      path: this.path,
      ...(this.channel === undefined ? {} : { channel: this.channel }),
      protocol: this.req.httpVersionMajor === 2 ? 'h2' : 'h1',
      lastEventIdRequested: lastEventId === undefined ? undefined : printable(lastEventId, 256),
      connectedAt: this.connectedAt,
      eventsSent: this.sent,
      bytesSent: this.bytesSent,
      bufferedBytes: this.bufferedBytes(),
      slow: this.needsDrain(),
    });
  }

  /**
  Writes a chunk unless this connection would then hold more than
  `maxBufferedBytes` unsent bytes (Infinity only for the initial replay, which the
  log bounds).
  */
  write(chunk: Chunk, maxBufferedBytes: number): WriteOutcome {
    const { res, socket, eventsLeft } = this;
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
    if (this.bufferedBytes() + bytes.length > maxBufferedBytes) {
      return 'slow';
    }
    if (bytes.length > 0) {
      // A socket destroyed mid-stream takes writes without throwing: nothing was sent.
      if (socket?.destroyed === true) return 'failed';
      try {
        // The return value (false = "wait for drain") is not awaited: the limit
        // above is the backpressure, so one stalled client never delays the others.
        if (socket === undefined) res.write(bytes);
        else socket.write(reachedLimit ? frameBytes(bytes) : chunk.framed);
      } catch {
        return 'failed';
      }
    }
    this.bytesSent += bytes.length;
    this.sent += events;
    if (eventsLeft !== undefined) {
      this.eventsLeft = eventsLeft - events;
    }
    return reachedLimit ? 'close-after' : 'written';
  }
}
