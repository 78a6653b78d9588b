import { createEventStreamDecoder, type DecodedEvent, type EventStreamDecoder } from '../../index.js';
import { createEventBoundaryScanner, type EventBoundaryScanner } from './event-boundary.js';
import type { EventTreatment, ProxyReport, ProxyStreamInfo } from './types.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const lineFeed = Uint8Array.of(LINE_FEED);

export interface StreamInspectionParts {
  readonly report: (report: ProxyReport) => void;
  /** The stream as observers see it now (reports carry it). */
  readonly info: () => ProxyStreamInfo;
  /** Whether anyone wants the exact bytes now (`raw on`); asked per entry, so it stays cheap when off. */
  readonly wantsBytes: () => boolean;
  /** Most characters the decoder holds for one unfinished line or event (see resync below). */
  readonly maxBufferSize: number;
  /** The Last-Event-ID the browser sent: the stream uses ids from the start. */
  readonly lastEventIdSent: string | undefined;
}

/**
What the console learns of one proxied stream: the bytes the browser got, decoded as
the browser decodes them, turned into reports. It works on a copy, after the write:
nothing here is on the way of a byte to the browser.
*/
export interface StreamInspection {
  /** Upstream bytes written to the browser, decoded later in this turn (see `later`). */
  passed(bytes: Buffer, how: EventTreatment, heldMs: number): void;
  /** An event the console wrote into the stream. */
  injected(bytes: Buffer, event: DecodedEvent): void;
  /** An upstream event `drop` kept from the browser: reported, not counted, the browser's id unchanged. */
  dropped(block: Buffer): void;
  /** Decodes and reports everything written so far (before anything reads the decoder's state). */
  now(): void;
  /** The stream ended: what is left is decoded and the decoder ends. */
  end(): void;
  /** Events (not comments) that reached the browser, injected ones included. */
  events(): number;
  /** The last event ID the browser holds. */
  lastEventId(): string;
}

/*
Every stream's inspection of one event-loop turn runs from one setImmediate: an
upstream event that reached 100 streams costs one Immediate, not 100.
*/
const waiting: (() => void)[] = [];
let turnScheduled = false;

function runWaiting(): void {
  turnScheduled = false;
  for (const run of waiting.splice(0)) run();
}

function afterThisTurn(run: () => void): void {
  waiting.push(run);
  if (!turnScheduled) {
    turnScheduled = true;
    setImmediate(runWaiting);
  }
}

/** Bytes written to the browser and not yet decoded. */
type Uninspected =
  | { readonly injected: false; readonly bytes: Buffer; readonly how: EventTreatment; readonly heldMs: number }
  | { readonly injected: true; readonly bytes: Buffer; readonly event: DecodedEvent };

export function createStreamInspection(parts: StreamInspectionParts): StreamInspection {
  const { report, info } = parts;
  let events = 0;
  // How the bytes being decoded right now were treated (set around each feed).
  let treatment: EventTreatment = 'passed';
  let treatmentHeldMs = 0;
  // The stream has carried an id; an event without one after that is worth a warning.
  let usesIds = parts.lastEventIdSent !== undefined;
  let warnedMissingId = false;

  /*
  The decoder is bounded as `connect`'s is: a line or event longer than maxBufferSize
  is not decoded (it would be held whole, and a 600 MB line ends the process). Its
  bytes still reach the browser unchanged; the console reports the cut and starts
  decoding again after the next blank line, found by a boundary scanner that starts
  where the decoder stopped.
  */
  let resync: { scanner: EventBoundaryScanner; skippedBytes: number } | undefined;

  const decoder: EventStreamDecoder = createEventStreamDecoder({
    maxBufferSize: parts.maxBufferSize,
    onEvent: (event) => {
      events += 1;
      // Two literals rather than a spread: this runs for every event of every stream.
      report(
        treatment === 'delayed'
          ? { type: 'stream-event', stream: info(), event, treatment, heldMs: treatmentHeldMs }
          : { type: 'stream-event', stream: info(), event, treatment },
      );
      if (event.id !== undefined) usesIds = true;
      else if (usesIds && !warnedMissingId) {
        warnedMissingId = true;
        report({
          type: 'stream-warning',
          stream: info(),
          message: `an event without an id on a stream that uses ids (data ${JSON.stringify(event.data.slice(0, 40))}): the browser still holds the previous id, so a reconnect resumes from before this event, which the app must replay or it is lost (said once per stream)`,
        });
      }
    },
    onComment: (text) => report({ type: 'stream-comment', stream: info(), text }),
    onRetry: (retryMs) => report({ type: 'stream-retry', stream: info(), retryMs }),
    onIgnoredLine: (ignored) => report({ type: 'stream-ignored-line', stream: info(), message: ignored.message }),
    onOverflow: (message) =>
      report({
        type: 'stream-warning',
        stream: info(),
        message: `${message}: the console stopped decoding it to keep memory bounded (the browser still gets every byte unchanged); decoding resumes after the event ends (--max-buffer raises the bound)`,
      }),
  });

  /*
  Inspection (decoding what the browser saw, building reports) waits for setImmediate,
  after every socket read of this event-loop turn: an upstream event that reaches 100
  streams in one turn is forwarded to all 100 browsers first and decoded after, so
  the last browser does not wait for 99 decodes. Entries keep the wire order.
  */
  const uninspected: Uninspected[] = [];
  let scheduled = false;

  function later(entry: Uninspected): void {
    uninspected.push(entry);
    if (!scheduled) {
      scheduled = true;
      afterThisTurn(now);
    }
  }

  function now(): void {
    scheduled = false;
    for (const entry of uninspected.splice(0)) {
      if (entry.injected) {
        events += 1;
        if (parts.wantsBytes()) report({ type: 'stream-bytes', stream: info(), bytes: entry.bytes, injected: true });
        report({ type: 'stream-event', stream: info(), event: entry.event, treatment: 'injected' });
        continue;
      }
      if (parts.wantsBytes()) report({ type: 'stream-bytes', stream: info(), bytes: entry.bytes, injected: false });
      treatment = entry.how;
      treatmentHeldMs = entry.heldMs;
      decodeForwarded(entry.bytes);
      treatment = 'passed';
    }
  }

  /** Feeds forwarded bytes to the decoder, skipping the rest of an event too large to decode. */
  function decodeForwarded(chunk: Buffer): void {
    let rest = chunk;
    if (resync !== undefined) {
      const ends = resync.scanner.scan(chunk);
      const end = ends[0];
      if (end === undefined) {
        resync.skippedBytes += chunk.length;
        return;
      }
      const skippedBytes = resync.skippedBytes + end;
      resync = undefined;
      // A fresh decoder state (the last event ID is kept); the LF settles its BOM check.
      decoder.end();
      decoder.feed(lineFeed);
      report({
        type: 'stream-warning',
        stream: info(),
        message: `decoding resumed after the event too large to show ended (${skippedBytes} more bytes passed to the browser undecoded; an id it carried is not known to the console)`,
      });
      rest = chunk.subarray(end);
    }
    decoder.feed(rest);
    if (decoder.overflowed) {
      // The parser stops at the end of a fed chunk: its last byte says where in a line that is.
      const last = rest.at(-1);
      resync = {
        scanner: createEventBoundaryScanner({
          atLineStart: last === LINE_FEED || last === CARRIAGE_RETURN,
          afterCr: last === CARRIAGE_RETURN,
        }),
        skippedBytes: 0,
      };
    }
  }

  return {
    passed(bytes, how, heldMs) {
      later({ injected: false, bytes, how, heldMs });
    },
    injected(bytes, event) {
      later({ injected: true, bytes, event });
    },
    dropped(block) {
      // The throwaway decoder starts from the browser's last id: decode what went before first.
      now();
      const throwaway = createEventStreamDecoder({
        lastEventId: decoder.lastEventId,
        onEvent: (event) => report({ type: 'stream-event', stream: info(), event, treatment: 'dropped' }),
      });
      throwaway.feed(block);
    },
    now,
    end() {
      now();
      decoder.end();
    },
    events: () => events,
    lastEventId: () => decoder.lastEventId,
  };
}
