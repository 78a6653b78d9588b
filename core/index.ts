/**
The sse-console library: the SSE engine the console runs, for your own programs.

  import { createSse, startSseServer } from 'sse-console';
*/
export { createSse } from './stream/create-sse.js';
export { channelsFrom, startSseServer } from './http/sse-server.js';
export type { SseServer, SseServerOptions } from './http/sse-server.js';
export { encodeComment, encodeEvent } from './wire/encode-event.js';
export type { EncodableEvent } from './wire/encode-event.js';
export { SseFieldError } from './wire/sse-field-error.js';
export type { SseField } from './wire/sse-field-error.js';
export { ListenError } from './http/listen.js';
export { createSseClient } from './client/index.js';
export type {
  SseClient,
  SseClientError,
  SseClientEvent,
  SseClientOptions,
  SseClientState,
  SseCloseInfo,
  SseConnectInfo,
  SseConnectWarning,
  SseReconnectInfo,
} from './client/index.js';
export type {
  ConnectAnswer,
  ConnectionInfo,
  DisconnectReason,
  HistoryRecord,
  OnConnect,
  SentEvent,
  Sse,
  SseEventInput,
  SseLifecycleEvent,
  SseListener,
  SseOptions,
} from './stream/types.js';
