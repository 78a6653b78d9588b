export {
  createSseClient,
  DEFAULT_MAX_BUFFER_SIZE,
  DEFAULT_MIN_RECONNECT_DELAY_MS,
  DEFAULT_RETRY_MS,
  describeNonEventSourceRequest,
} from './create-sse-client.js';
export { readRequestBodyFile, MAX_REQUEST_BODY_BYTES } from './read-request-body-file.js';
export { createEventStreamDecoder } from './create-event-stream-decoder.js';
export { checkEventStreamResponse, describeStatus, mimeEssence } from './check-event-stream-response.js';
export { collectConnectWarnings } from './collect-connect-warnings.js';
export { parseStreamUrl } from './parse-stream-url.js';
export type {
  DecodedEvent,
  DecodedIgnoredLine,
  EventStreamDecoder,
  EventStreamDecoderOptions,
} from './create-event-stream-decoder.js';
export { SseClientError } from './client-error.js';
export type { SseClientErrorInit } from './client-error.js';
export type {
  SseClient,
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
} from './types.js';
