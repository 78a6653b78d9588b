/**
The sse-console library: the SSE engine the console runs, for your own programs.

```ts
import { createSse, startSseServer } from 'sse-console';
```

@packageDocumentation
*/
export { createSse } from './stream/create-sse.js';
export { createMemoryStore } from './history/memory-store.js';
export type { MemoryStoreOptions } from './history/memory-store.js';
export { openHistoryFileStore } from './history-file/history-file-store.js';
export type { HistoryFileStore, HistoryFileStoreOptions } from './history-file/history-file-store.js';
export type { HistoryFileProblem } from './history-file/history-file.js';
export { readHistoryFile, writeHistoryFile } from './history-file/history-file-io.js';
export type { HistoryFileContents, HistoryFileReadOptions } from './history-file/history-file-io.js';
export { recordShapeProblem } from './history-file/record-line-shape.js';
export type {
  ReplayFeedListener,
  ReplayRead,
  ReplayReset,
  ReplayResetReason,
  ReplayStore,
  ReplayStoreInput,
} from './history/replay-store.js';
export { channelsFrom, startSseServer } from './http/sse-server.js';
export type { SseServer, SseServerOptions } from './http/sse-server.js';
export type { TlsCredentials } from './http/secure-server.js';
export type { ServerTimeouts } from './http/hardened-server.js';
// For your own HTTP server beside the stream: the listener, limits and checks startSseServer uses.
export { createHardenedServer } from './http/hardened-server.js';
export { closeEveryConnection, closeSessions, createHardenedSecureServer } from './http/secure-server.js';
export { listen } from './http/listen.js';
export type { Listening, ListenOptions } from './http/listen.js';
export { urlHost } from './http/url-host.js';
export { crossSiteProblem, hostProblem, isLocalHostHeader, isLoopbackAddress } from './http/request-host.js';
export type { CorsOrigins } from './http/cors.js';
export { displayPath, displayUrl, parseTarget, redactUrlsIn } from './http/request-target.js';
export type { RequestTarget } from './http/request-target.js';
export { checkToken } from './http/request-rules.js';
export type { TokenCheck } from './http/request-rules.js';
export { encodeComment, encodeEvent } from './wire/encode-event.js';
export { isValidRetry, MAX_RETRY_MS } from './wire/fields.js';
export { decimalId } from './wire/decimal-id.js';
export { SSE_DEFAULTS } from './stream/options.js';
export { channelNameProblem } from './stream/channel-name.js';
export { answerHeaderProblem, answerStatusProblem } from './http/answer-rules.js';
export { answerText, PLAIN_TEXT_HEADERS } from './http/answer-text.js';
export type { TextAnswerTarget } from './http/answer-text.js';
export type { EncodableEvent } from './wire/encode-event.js';
export { ListenError, NoSuchConnectionError, SseArgumentError, SseError } from './errors/sse-error.js';
export type { SseErrorCode } from './errors/sse-error.js';
export { SseFieldError } from './errors/sse-error.js';
export type { SseField } from './errors/sse-error.js';
// The decoder from its own module: the console imports it without loading the client (undici).
export { createEventStreamDecoder } from './client/create-event-stream-decoder.js';
export type {
  DecodedEvent,
  DecodedIgnoredLine,
  EventStreamDecoder,
  EventStreamDecoderOptions,
} from './client/create-event-stream-decoder.js';
export { createSseClient, SseClientError } from './client/index.js';
export { collectConnectWarnings } from './client/collect-connect-warnings.js';
export type { RedirectSeen } from './client/collect-connect-warnings.js';
export { extractMimeType } from './client/extract-mime-type.js';
export type { ExtractedMimeType } from './client/extract-mime-type.js';
export { isChromiumUtf8Charset } from './client/check-event-stream-response.js';
export { describeNetworkError } from './client/describe-network-error.js';
export type { NetworkErrorDescription } from './client/describe-network-error.js';
export type {
  SseClient,
  SseClientErrorInit,
  SseClientErrorKind,
  SseClientEvent,
  SseClientOptions,
  SseClientState,
  SseCloseInfo,
  SseCloseReason,
  SseConnectInfo,
  SseConnectWarning,
  SseIgnoredLine,
  SseReconnectInfo,
  SseRejectedResponse,
} from './client/index.js';
export type {
  ConnectAnswer,
  ConnectionInfo,
  DisconnectReason,
  HistoryRecord,
  OnConnect,
  SentEvent,
  Sse,
  SseConnection,
  SseConnectionState,
  SseDirectEventInput,
  SseEventInput,
  SseFetchOptions,
  SseLifecycleEvent,
  SseListener,
  SseOptions,
  SseRefusal,
  SseSendOptions,
} from './stream/types.js';
