import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, ParseError, ParserConfig } from 'eventsource-parser';

/** An event as the decoder dispatches it, before the client stamps a time on it. */
export interface DecodedEvent {
  readonly event: string;
  readonly data: string;
  /** This block's own `id:` field, or `undefined` when the id was carried over. */
  readonly id: string | undefined;
  readonly lastEventId: string;
}

export interface DecodedIgnoredLine {
  readonly reason: 'unknown-field' | 'invalid-retry';
  readonly line: string;
  readonly field: string | undefined;
  readonly message: string;
}

export interface EventStreamDecoderOptions {
  /** The last event ID string to start from (it persists across streams). */
  readonly lastEventId?: string;
  readonly onEvent?: (event: DecodedEvent) => void;
  readonly onComment?: (comment: string) => void;
  readonly onRetry?: (retryMs: number) => void;
  readonly onIgnoredLine?: (ignored: DecodedIgnoredLine) => void;
}

export interface EventStreamDecoder {
  /** Feed the next chunk of body bytes, split anywhere (even inside a UTF-8 sequence). */
  feed(bytes: Uint8Array): void;
  /**
  The body ended: discard any partial event, as the spec says, and get ready for the
  next stream (a new response starts with a fresh UTF-8 decoder and may have a BOM).
  The last event ID string is kept.
  */
  end(): void;
  readonly lastEventId: string;
}

/**
`onId` arrived in eventsource-parser 4: it reports the block's id at dispatch, even for
an id-only block (which must still move the resume cursor). Passing it is harmless with
version 3, which reports ids only through events that carry data.
*/
type ParserConfigWithId = ParserConfig & { onId?: (id: string) => void };

/**
Bytes in, browser-shaped events out: a streaming UTF-8 decoder (which strips one
leading BOM and never honours `charset`) feeding eventsource-parser, plus the sticky
last event ID that the parser leaves to its caller. This is the whole parsing pipeline
of the client, exported so tests can feed it splits at every byte position.
*/
export function createEventStreamDecoder(
  options: EventStreamDecoderOptions = {},
): EventStreamDecoder {
  let lastEventId = options.lastEventId ?? '';
  let textDecoder = new TextDecoder('utf-8');
  // True when the previous text ended with CR and we already fed the LF for it.
  let skipLeadingLf = false;

  const config: ParserConfigWithId = {
    onId: (id: string) => {
      lastEventId = id;
    },
    onEvent: (message: EventSourceMessage) => {
      // The parser has already dropped ids containing NUL and keeps "" for a bare `id:`.
      if (message.id !== undefined) lastEventId = message.id;
      options.onEvent?.({
        event: message.event === undefined || message.event === '' ? 'message' : message.event,
        data: message.data,
        id: message.id,
        lastEventId,
      });
    },
    onRetry: (retryMs: number) => options.onRetry?.(retryMs),
    onComment: (comment: string) => options.onComment?.(comment),
    onError: (error: ParseError) => {
      if (error.type === 'unknown-field' || error.type === 'invalid-retry') {
        options.onIgnoredLine?.(describeIgnoredLine(error));
      }
    },
  };
  const parser = createParser(config);

  function feedText(text: string): void {
    if (text === '') return;
    if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    skipLeadingLf = false;
    if (text === '') return;
    // A CR ends a line at once (the spec's tokenizer only peeks for a following LF).
    // The parser would hold a trailing CR until more bytes come, delaying the event
    // and losing it at the end of the body, so complete it here and drop the LF that
    // may follow in the next chunk.
    if (text.endsWith('\r')) {
      parser.feed(`${text}\n`);
      skipLeadingLf = true;
    } else {
      parser.feed(text);
    }
  }

  return {
    feed(bytes) {
      feedText(textDecoder.decode(bytes, { stream: true }));
    },
    end() {
      // Whatever is left (an unterminated line, an undispatched block) is discarded.
      parser.reset();
      textDecoder = new TextDecoder('utf-8');
      skipLeadingLf = false;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
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
