/** One SSE server under test, as the subject process drives it. */
export interface Subject {
  readonly port: number;
  /** The stream's path on the server. */
  readonly path: string;
  /** 'h2': clients connect with HTTP/2 over TLS; absent: HTTP/1.1 in clear text. */
  readonly protocol?: 'h2';
  /** Send one event with this data to every connection, as the library's docs say. */
  broadcast(data: string): void;
  /** Connections the server has registered (accepted and streaming). */
  connectionCount(): number;
  /** Store `count` events (with ids) in the replay log, where the subject has one. */
  fillHistory?(count: number, data: () => string): void;
  stop(): Promise<void>;
}

export interface SubjectOptions {
  /** Replay log size, for subjects that keep one. */
  readonly historyLimit?: number;
  /** sse-console's `flushMs` (the coalescing window); absent: the default, none. */
  readonly flushMs?: number;
  /** The Redis server of the `sse-console-redis` subject. */
  readonly redisUrl?: string;
  /** Its key prefix: a new one per round, so clients of a round are not replayed the last round's log. */
  readonly redisPrefix?: string;
}
