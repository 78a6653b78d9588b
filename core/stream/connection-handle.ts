import type { IncomingMessage } from 'node:http';
import type { Connection } from './connection.js';
import type { ConnectionInfo, SentEvent, SseConnection, SseConnectionState, SseDirectEventInput } from './types.js';

/** What a handle asks of its stream; one object per stream, shared by every handle. */
export interface HandleHost {
  isOpen(connection: Connection): boolean;
  send(connection: Connection, input: SseDirectEventInput): SentEvent;
  close(connection: Connection, reason: 'server-closed' | 'stopped'): boolean;
}

/**
The public face of one connection (see `SseConnection` in types.ts). A class, made
once per connection, for the reason `Connection` is one: its methods live on the
prototype, so a handle costs one small object. The fan-out loop never touches it.
*/
export class ConnectionHandle implements SseConnection {
  readonly #connection: Connection;
  readonly #host: HandleHost;
  /** The application's own object for this connection: made here, so never shared. */
  state: SseConnectionState = {};

  constructor(connection: Connection, host: HandleHost) {
    this.#connection = connection;
    this.#host = host;
  }

  get id(): number {
    return this.#connection.id;
  }
  get lastEventId(): string | undefined {
    return this.#connection.requestedLastEventId;
  }
  get remoteAddress(): string {
    return this.#connection.remoteAddress;
  }
  get remotePort(): number {
    return this.#connection.remotePort;
  }
  get path(): string {
    return this.#connection.path;
  }
  get channel(): string | undefined {
    return this.#connection.channel;
  }
  get request(): IncomingMessage {
    return this.#connection.req;
  }
  get isOpen(): boolean {
    return this.#host.isOpen(this.#connection);
  }

  info(): ConnectionInfo {
    return this.#connection.info();
  }

  send(input: SseDirectEventInput): SentEvent {
    return this.#host.send(this.#connection, input);
  }

  close(reason: 'server-closed' | 'stopped' = 'server-closed'): boolean {
    return this.#host.close(this.#connection, reason);
  }
}
