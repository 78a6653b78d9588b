import { SseError, type SseErrorCode } from '../errors/sse-error.js';
import type { SseClientErrorKind, SseRejectedResponse } from './types.js';

const CODES: Readonly<Record<SseClientErrorKind, SseErrorCode>> = {
  'bad-status': 'ERR_SSE_CLIENT_BAD_STATUS',
  'bad-content-type': 'ERR_SSE_CLIENT_BAD_CONTENT_TYPE',
  'bad-charset': 'ERR_SSE_CLIENT_BAD_CHARSET',
  'request-refused': 'ERR_SSE_CLIENT_REQUEST_REFUSED',
  'buffer-overflow': 'ERR_SSE_CLIENT_BUFFER_OVERFLOW',
  network: 'ERR_SSE_CLIENT_NETWORK',
};

/** What an {@link SseClientError} is made from. */
export interface SseClientErrorInit {
  /** The failure in short form; it decides the `code`. */
  readonly kind: SseClientErrorKind;
  /** Plain words: what happened and what a browser does about it. */
  readonly message: string;
  /** True when the client gives up. */
  readonly fatal: boolean;
  /** The HTTP status, for `bad-status` and `bad-content-type`. */
  readonly status?: number | undefined;
  /** The system error code behind a network error. */
  readonly systemCode?: string | undefined;
  /** The refused response and the start of its body, for `bad-status`, `bad-content-type` and `bad-charset`. */
  readonly response?: SseRejectedResponse | undefined;
  /** When it happened; default now. */
  readonly time?: Date;
}

/**
What the client reports to `onError` (it never throws it: the stream goes on or
closes as a browser's would). `code` is `ERR_SSE_CLIENT_BAD_STATUS`,
`…_BAD_CONTENT_TYPE`, `…_BAD_CHARSET`, `…_REQUEST_REFUSED`, `…_BUFFER_OVERFLOW` or
`…_NETWORK`; `kind` is the same in the short form the console prints.

@example
```ts
createSseClient({
  url: 'http://127.0.0.1:8122/events',
  onError(error) {
    if (error.code === 'ERR_SSE_CLIENT_BAD_STATUS') console.error(`HTTP ${error.status}: ${error.message}`);
  },
});
```
*/
export class SseClientError extends SseError {
  /** `SseClientError`. */
  override readonly name: string = 'SseClientError';
  /** The failure in short form (`bad-status`, `network` …). */
  readonly kind: SseClientErrorKind;
  /** True when the client gives up (no reconnect follows). */
  readonly fatal: boolean;
  /** The HTTP status, for `bad-status` and `bad-content-type`. */
  readonly status: number | undefined;
  /** The system error code behind a network error (ECONNREFUSED …), if known. */
  readonly systemCode: string | undefined;
  /**
  The refused response (status, headers and the start of its body), for `bad-status`,
  `bad-content-type` and `bad-charset`: what a page using fetch() would read.
  */
  readonly response: SseRejectedResponse | undefined;
  /** When the failure was seen. */
  readonly time: Date;

  constructor(init: SseClientErrorInit) {
    super(CODES[init.kind], init.message);
    this.kind = init.kind;
    this.fatal = init.fatal;
    this.status = init.status;
    this.systemCode = init.systemCode;
    this.response = init.response;
    this.time = init.time ?? new Date();
  }
}
