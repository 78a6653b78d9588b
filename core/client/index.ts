/**
The sse-console client on its own: an SSE client with the reconnection rules of a
browser's EventSource, and the decoder under it, without the server code.

```ts
import { createSseClient } from 'sse-console/client';
```

The same names are exported by `sse-console`; this entry loads only the client.

@packageDocumentation
*/
export { createSseClient } from './create-sse-client.js';
export { createEventStreamDecoder } from './create-event-stream-decoder.js';
export { collectConnectWarnings } from './collect-connect-warnings.js';
export type { RedirectSeen } from './collect-connect-warnings.js';
export { extractMimeType } from './extract-mime-type.js';
export type { ExtractedMimeType } from './extract-mime-type.js';
export { isChromiumUtf8Charset } from './check-event-stream-response.js';
export { describeNetworkError } from './describe-network-error.js';
export type { NetworkErrorDescription } from './describe-network-error.js';
export type {
  DecodedEvent,
  DecodedIgnoredLine,
  EventStreamDecoder,
  EventStreamDecoderOptions,
} from './create-event-stream-decoder.js';
export { SseArgumentError, SseError } from '../errors/sse-error.js';
export type { SseErrorCode } from '../errors/sse-error.js';
export { SseClientError } from '../errors/sse-error.js';
export type { SseClientErrorInit } from '../errors/sse-error.js';
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
