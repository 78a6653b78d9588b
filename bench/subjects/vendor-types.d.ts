// sse-channel ships no types; this declares the part of its documented API the benchmarks use.
declare module 'sse-channel' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface SseChannelOptions {
    historySize?: number;
    retryTimeout?: number;
    pingInterval?: number;
    jsonEncode?: boolean;
  }

  interface SseChannelMessage {
    data?: string;
    id?: number | string;
    event?: string;
    retry?: number;
  }

  class SseChannel {
    constructor(options?: SseChannelOptions);
    addClient(req: IncomingMessage, res: ServerResponse, callback?: () => void): void;
    getConnectionCount(): number;
    send(message: string | SseChannelMessage, clients?: ServerResponse[]): void;
    close(): void;
  }

  export = SseChannel;
}
