import { createSseClient } from '../../../../core/client/create-sse-client.js';
import type {
  SseClient,
  SseClientError,
  SseClientEvent,
  SseClientOptions,
  SseCloseInfo,
  SseConnectInfo,
  SseIgnoredLine,
  SseReconnectInfo,
} from '../../../../core/client/types.js';

export interface Recorded {
  client: SseClient;
  connects: SseConnectInfo[];
  events: SseClientEvent[];
  errors: SseClientError[];
  reconnects: SseReconnectInfo[];
  comments: string[];
  retries: number[];
  ignored: SseIgnoredLine[];
  closes: SseCloseInfo[];
  bytes: Uint8Array[];
}

/** A client whose every callback is recorded; `clients` collects it for afterEach. */
export function recordClient(options: Omit<SseClientOptions, `on${string}`>, clients: SseClient[]): Recorded {
  const recorded: Omit<Recorded, 'client'> = {
    connects: [],
    events: [],
    errors: [],
    reconnects: [],
    comments: [],
    retries: [],
    ignored: [],
    closes: [],
    bytes: [],
  };
  const client = createSseClient({
    ...options,
    onConnect: (info) => recorded.connects.push(info),
    onEvent: (event) => recorded.events.push(event),
    onError: (error) => recorded.errors.push(error),
    onReconnecting: (info) => recorded.reconnects.push(info),
    onComment: (comment) => recorded.comments.push(comment),
    onRetry: (retryMs) => recorded.retries.push(retryMs),
    onIgnoredLine: (ignored) => recorded.ignored.push(ignored),
    onClose: (info) => recorded.closes.push(info),
    onBytes: (bytes) => recorded.bytes.push(bytes),
  });
  clients.push(client);
  return { client, ...recorded };
}

export const eventsOf = (recorded: Recorded) =>
  recorded.events.map(({ event, data, lastEventId }) => ({ event, data, lastEventId }));
