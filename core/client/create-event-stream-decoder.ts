import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, ParseError, ParserConfig } from 'eventsource-parser';

/** An event as the decoder dispatches it, before the client stamps a time on it. */
export interface DecodedEvent {
  /** The event type: the `event:` field, or `message` when the block had none. */
  readonly event: string;
  /** The `data:` lines joined with LF, without the final LF. */
  readonly data: string;
  /** This block's own `id:` field, or `undefined` when the id was carried over. */
  readonly id: string | undefined;
  /** The last event ID string after this block: what a reconnection would send as `Last-Event-ID`. */
  readonly lastEventId: string;
}

/** A line the spec says to ignore, reported so a tool can show it. */
export interface DecodedIgnoredLine {
  /** A field name the spec does not know, or a `retry:` value that is not a number of milliseconds. */
  readonly reason: 'unknown-field' | 'invalid-retry';
  /** The whole line as received. */
  readonly line: string;
  /** The line's field name, when it had one. */
  readonly field: string | undefined;
  /** Why the line was ignored, in words. */
  readonly message: string;
}

/** What `createEventStreamDecoder` starts from and whom it calls; every callback is optional. */
export interface EventStreamDecoderOptions {
  /** The last event ID string to start from (it persists across streams). */
  readonly lastEventId?: string;
  /** A block with data was dispatched. */
  readonly onEvent?: (event: DecodedEvent) => void;
  /**
  A block with an `id:` field and no data: no event is dispatched, but the last event
  ID becomes `id` ('' clears it).
  */
  readonly onIdOnly?: (id: string) => void;
  /** A comment line (`:` first), without the colon. */
  readonly onComment?: (comment: string) => void;
  /** A valid `retry:` field: the reconnection time in milliseconds. */
  readonly onRetry?: (retryMs: number) => void;
  /**
  An empty `retry:` (or a bare `retry`): Chromium sets the reconnection time back to
  its default (EventSourceParser: "field_value.empty() → kDefaultReconnectDelay"); the
  spec is silent on an empty value, and eventsource-parser calls it invalid.
  */
  readonly onRetryReset?: () => void;
  /** A line the spec says to ignore. */
  readonly onIgnoredLine?: (ignored: DecodedIgnoredLine) => void;
  /**
  Most characters held for one unfinished line plus one undispatched event; more
  stops the decoder (until `end()`) and calls `onOverflow`. Default unbounded.
  */
  readonly maxBufferSize?: number;
  /** The buffer limit was passed; `message` says by what. */
  readonly onOverflow?: (message: string) => void;
}

/** A decoder for one event stream after another (the last event ID carries over); see `createEventStreamDecoder`. */
export interface EventStreamDecoder {
  /** Feed the next chunk of body bytes, split anywhere (even inside a UTF-8 sequence). */
  feed(bytes: Uint8Array): void;
  /**
  The body ended: discard any partial event, as the spec says, and get ready for the
  next stream (a new response starts with a fresh UTF-8 decoder and may have a BOM).
  The last event ID string is kept.
  */
  end(): void;
  /** The last event ID string so far. */
  readonly lastEventId: string;
  /** True after the buffer limit was passed: bytes are ignored until `end()`. */
  readonly overflowed: boolean;
}

/**
Chromium reads `retry:` with `ToUInt64Strict`: a value of 2^64 or more does not parse
and the field is ignored. (eventsource-parser hands over `parseInt`, so the few values
just below 2^64 that round up to it are ignored too.)
*/
const RETRY_LIMIT = 2 ** 64;

const utf8Bom = Uint8Array.of(0xef, 0xbb, 0xbf);
/** TextDecoder's options for every chunk: one object, not one per feed. */
const STREAMING = { stream: true };

/** What the decoder knows and its callers may only read. */
interface DecoderState {
  lastEventId: string;
  overflowed: boolean;
}

/*
The object `createEventStreamDecoder` returns: its state is read through getters on
the class's prototype, so a caller cannot write it (in strict code the assignment
throws), and the object stays a fast one. An object literal with getters would be a
dictionary ("slow") object in V8, and a proxy reads these for every read of every
stream.
*/
class Decoder implements EventStreamDecoder {
  readonly #state: DecoderState;
  readonly feed: (bytes: Uint8Array) => void;
  readonly end: () => void;

  constructor(state: DecoderState, feed: (bytes: Uint8Array) => void, end: () => void) {
    this.#state = state;
    this.feed = feed;
    this.end = end;
  }

  get lastEventId(): string {
    return this.#state.lastEventId;
  }

  get overflowed(): boolean {
    return this.#state.overflowed;
  }
}

/**
Bytes in, browser-shaped events out: a streaming UTF-8 decoder feeding
eventsource-parser, plus the sticky last event ID that the parser leaves to its caller.
This is the whole parsing pipeline of the client; use it to read an event stream your
own code fetched (a POST, a proxy, a recorded body).

The BOM is handled here, on bytes, as the spec's decoder does: only EF BB BF at the
very start of a response body is dropped, once. TextDecoder's own BOM handling is off
(Node versions have differed on a BOM split across chunks), and the parser's is kept
from running (it would also strip decoded text that merely looks like a BOM, or a
second BOM that belongs to the first field name).
*/
export function createEventStreamDecoder(options: EventStreamDecoderOptions = {}): EventStreamDecoder {
  const state: DecoderState = { lastEventId: options.lastEventId ?? '', overflowed: false };
  let textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // The first bytes of a body while they could still be a BOM; undefined once decided.
  let bomCandidate: Uint8Array | undefined = new Uint8Array(0);
  // The id of a block being dispatched, until its event (if any) comes: eventsource-parser
  // calls onId and then, in the same dispatch, onEvent when the block had data.
  let pendingIdOnly: string | undefined;
  const flushIdOnly = () => {
    if (pendingIdOnly === undefined) return;
    const id = pendingIdOnly;
    pendingIdOnly = undefined;
    options.onIdOnly?.(id);
  };

  const config: ParserConfig = {
    // Called for every block that had an `id:` field, with or without data: the spec
    // sets the last event ID buffer either way, and the next reconnect sends it.
    onId: (id: string) => {
      flushIdOnly();
      state.lastEventId = id;
      pendingIdOnly = id;
    },
    onEvent: (message: EventSourceMessage) => {
      // A block with an id: the pending id is its own. Without one, the pending id
      // belonged to an earlier block that had no event.
      if (message.id === undefined) flushIdOnly();
      else pendingIdOnly = undefined;
      options.onEvent?.({
        event: message.event === undefined || message.event === '' ? 'message' : message.event,
        data: message.data,
        id: message.id,
        lastEventId: state.lastEventId,
      });
    },
    onRetry: (retryMs: number) => {
      if (retryMs < RETRY_LIMIT) {
        options.onRetry?.(retryMs);
        return;
      }
      options.onIgnoredLine?.({
        reason: 'invalid-retry',
        line: `retry: ${retryMs.toExponential(3)}`,
        field: 'retry',
        message: `ignored a "retry:" of 2^64 ms or more: Chromium cannot read it as a 64-bit number and ignores the field (the reconnection time stays as it was)`,
      });
    },
    onComment: (comment: string) => options.onComment?.(comment),
    onError: (error: ParseError) => {
      if (error.type === 'invalid-retry' && error.value === '' && options.onRetryReset !== undefined) {
        options.onRetryReset();
      } else if (error.type === 'unknown-field' || error.type === 'invalid-retry') {
        options.onIgnoredLine?.(describeIgnoredLine(error));
      } else if (error.type === 'max-buffer-size-exceeded') {
        state.overflowed = true;
        options.onOverflow?.(
          `one line or event grew past ${options.maxBufferSize ?? 0} characters without ending (is a newline missing?)`,
        );
      }
    },
    ...(options.maxBufferSize === undefined ? {} : { maxBufferSize: options.maxBufferSize }),
  };
  const parser = createParser(config);
  // A blank line at the start of a stream dispatches nothing (the data buffer is
  // empty), and it ends the parser's own BOM check: see the comment above.
  parser.feed('\n');

  /** Drops one leading EF BB BF; holds back up to two bytes until that is decided. */
  function withoutBom(bytes: Uint8Array): Uint8Array | undefined {
    if (bomCandidate === undefined) return bytes;
    const head = new Uint8Array(bomCandidate.length + bytes.length);
    head.set(bomCandidate);
    head.set(bytes, bomCandidate.length);
    const compared = Math.min(head.length, utf8Bom.length);
    const couldBeBom = head.subarray(0, compared).every((byte, index) => byte === utf8Bom[index]);
    if (couldBeBom && head.length < utf8Bom.length) {
      bomCandidate = head;
      return undefined;
    }
    bomCandidate = undefined;
    return couldBeBom ? head.subarray(utf8Bom.length) : head;
  }

  function feed(bytes: Uint8Array): void {
    if (state.overflowed) return;
    const body = withoutBom(bytes);
    if (body === undefined || body.length === 0) return;
    const text = textDecoder.decode(body, STREAMING);
    if (text !== '') parser.feed(text);
    // A dispatch happens within one feed: an id still pending had no event.
    flushIdOnly();
  }

  function end(): void {
    state.overflowed = false;
    // Whatever is left (an unterminated line, an undispatched block) is discarded.
    parser.reset();
    parser.feed('\n');
    textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
    bomCandidate = new Uint8Array(0);
  }

  return new Decoder(state, feed, end);
}

function describeIgnoredLine(error: ParseError): DecodedIgnoredLine {
  const line = error.line ?? '';
  if (error.type === 'invalid-retry') {
    return {
      reason: 'invalid-retry',
      line,
      field: 'retry',
      message: `ignored "retry:${error.value ?? ''}": retry must be ASCII digits only, e.g. "retry: 3000"`,
    };
  }
  const field = error.field ?? line;
  return {
    reason: 'unknown-field',
    line,
    field,
    message: `ignored unknown field ${JSON.stringify(field)}: the fields are data, event, id and retry (lower case, at the start of the line), and a line starting with ":" is a comment`,
  };
}
