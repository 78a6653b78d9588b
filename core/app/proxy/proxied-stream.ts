import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { createEventStreamDecoder, type DecodedEvent, type EventStreamDecoder } from '../../index.js';
import { createEventBoundaryScanner, type EventBoundaryScanner } from './event-boundary.js';
import type { EventTreatment, ProxyReport, ProxyStreamInfo, StreamEndReason } from './types.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const lineFeed = Uint8Array.of(LINE_FEED);

/** Bytes `pause`/`delay` may hold per stream before the upstream is paused too. */
export const MAX_HELD_BYTES = 1024 * 1024;

export interface StreamFaults {
  /** Hold every upstream event back this long. */
  readonly delayMs: number;
  /** Drop this many upstream events (counts down). */
  readonly drop: number;
  /** Hold every upstream event until resumed. */
  readonly paused: boolean;
}

export interface ProxiedStreamParts {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly upstreamReq: ClientRequest;
  readonly upstreamRes: IncomingMessage;
  readonly path: string;
  readonly upstreamUrl: string;
  readonly report: (report: ProxyReport) => void;
  /** Whether anyone wants the exact bytes now (`raw on`); asked per chunk, so it stays cheap when off. */
  readonly wantsBytes: () => boolean;
  readonly now: () => number;
  /** Most characters the decoder holds for one unfinished line or event (see resync below). */
  readonly maxBufferSize: number;
  readonly onEnd: () => void;
}

export interface ProxiedStream {
  readonly id: number;
  info(): ProxyStreamInfo;
  /** Writes an event the console made; at once if the browser is between events, else at the next boundary. */
  inject(bytes: Buffer, event: DecodedEvent): void;
  /** Ends the browser's response (it reconnects) and aborts the upstream request. */
  close(reason: StreamEndReason): void;
  setDelay(ms: number): void;
  addDrop(count: number): void;
  setPaused(paused: boolean): void;
  readonly faults: StreamFaults;
}

/** Bytes written to the browser and not yet decoded (see inspectLater). */
type Uninspected =
  | { readonly injected: false; readonly bytes: Buffer; readonly how: EventTreatment; readonly heldMs: number }
  | { readonly injected: true; readonly bytes: Buffer; readonly event: DecodedEvent };

interface HeldBlock {
  readonly bytes: Buffer;
  readonly arrivedAt: number;
  dueAt: number;
}

/** True when a complete block holds a field line (data, event, id, retry …), not only comments. */
function isEventBlock(block: Buffer): boolean {
  return /(^|[\r\n])[^:\r\n]/.test(block.toString('latin1'));
}

/**
One proxied event stream: upstream bytes are forwarded the moment they arrive and
fed to the client's decoder, which tells the console what the browser saw. Faults
(`delay`, `drop`, `pause`) work on whole events; `inject` writes only between events.
Back-pressure: when the browser's socket is full, the upstream response is paused
until it drains, so a browser that stops reading stops its upstream too.
*/
export function createProxiedStream(parts: ProxiedStreamParts): ProxiedStream {
  const { id, req, res, upstreamReq, upstreamRes, report, now } = parts;
  const openedAt = now();
  const lastEventIdHeader = req.headers['last-event-id'];
  const lastEventIdSent = typeof lastEventIdHeader === 'string' ? lastEventIdHeader : undefined;
  const scanner = createEventBoundaryScanner();
  let events = 0;
  let bytes = 0;
  let ended = false;
  let faults: StreamFaults = { delayMs: 0, drop: 0, paused: false };
  /** Bytes of the current upstream event not yet written (only while faults hold events). */
  let partial: Buffer[] = [];
  let partialBytes = 0;
  /** Some of the current upstream event was written already: the rest follows it directly. */
  let midEventWritten = false;
  const held: HeldBlock[] = [];
  let heldBytes = 0;
  let heldTimer: NodeJS.Timeout | undefined;
  const injections: { bytes: Buffer; event: DecodedEvent }[] = [];
  let writePaused = false;
  let holdPaused = false;
  // How the bytes being decoded right now were treated (set around each feed).
  let treatment: EventTreatment = 'passed';
  // The stream has carried an id; an event without one after that is worth a warning.
  let usesIds = lastEventIdSent !== undefined;
  let warnedMissingId = false;
  let treatmentHeldMs = 0;

  // What never changes is read once; info() adds the live numbers.
  const fixed = {
    id,
    method: req.method ?? 'GET',
    path: parts.path,
    upstreamUrl: parts.upstreamUrl,
    remoteAddress: req.socket.remoteAddress ?? '',
    remotePort: req.socket.remotePort ?? 0,
    userAgent: req.headers['user-agent'] ?? '',
    lastEventIdSent,
  };
  const info = (): ProxyStreamInfo => ({
    ...fixed,
    lastEventId: decoder.lastEventId,
    openedAt,
    events,
    bytes,
    bufferedBytes: res.writableLength,
    heldBytes: heldBytes + partialBytes,
    faults: describeFaults(faults),
  });

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
      report({
        type: 'stream-event',
        stream: info(),
        event,
        treatment,
        ...(treatment === 'delayed' ? { heldMs: treatmentHeldMs } : {}),
      });
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

  function updateUpstreamFlow(): void {
    if (ended) return;
    if (writePaused || holdPaused) upstreamRes.pause();
    else upstreamRes.resume();
  }

  /*
  Inspection (decoding what the browser saw, building reports) waits for setImmediate,
  after every socket read of this event-loop turn: an upstream event that reaches 100
  streams in one turn is forwarded to all 100 browsers first and decoded after, so
  the last browser does not wait for 99 decodes. Entries keep the wire order.
  */
  const uninspected: Uninspected[] = [];
  let inspectionScheduled = false;

  function inspectLater(entry: Uninspected): void {
    uninspected.push(entry);
    if (!inspectionScheduled) {
      inspectionScheduled = true;
      setImmediate(inspectNow);
    }
  }

  /** Decodes and reports everything forwarded so far (also called before anything reads the decoder). */
  function inspectNow(): void {
    inspectionScheduled = false;
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

  /** Writes upstream bytes to the browser; the decoder sees them as the browser will, just after. */
  function writeUpstream(chunk: Buffer, how: EventTreatment = 'passed', heldMs = 0): void {
    if (ended || chunk.length === 0) return;
    bytes += chunk.length;
    if (!res.write(chunk)) {
      writePaused = true;
      updateUpstreamFlow();
    }
    inspectLater({ injected: false, bytes: chunk, how, heldMs });
  }

  function writeInjected(item: { bytes: Buffer; event: DecodedEvent }): void {
    if (ended) return;
    bytes += item.bytes.length;
    if (!res.write(item.bytes)) {
      writePaused = true;
      updateUpstreamFlow();
    }
    inspectLater({ injected: true, bytes: item.bytes, event: item.event });
  }

  function flushInjections(): void {
    while (injections.length > 0 && !midEventWritten) {
      const next = injections.shift();
      if (next) writeInjected(next);
    }
  }

  const holding = (): boolean => faults.paused || faults.delayMs > 0 || faults.drop > 0 || held.length > 0;

  function scheduleHeld(): void {
    if (heldTimer !== undefined || faults.paused || ended) return;
    const head = held[0];
    if (!head) return;
    const wait = Math.max(0, head.dueAt - now());
    heldTimer = setTimeout(() => {
      heldTimer = undefined;
      releaseDue();
    }, wait);
  }

  function releaseDue(): void {
    while (!ended && !faults.paused) {
      const head = held[0];
      if (!head || head.dueAt > now()) break;
      held.shift();
      heldBytes -= head.bytes.length;
      const heldMs = now() - head.arrivedAt;
      writeUpstream(head.bytes, heldMs > 0 ? 'delayed' : 'passed', heldMs);
    }
    if (holdPaused && heldBytes < MAX_HELD_BYTES / 2) {
      holdPaused = false;
      updateUpstreamFlow();
    }
    scheduleHeld();
  }

  /** One complete upstream event while faults are in force. */
  function deliverBlock(block: Buffer): void {
    if (faults.drop > 0 && isEventBlock(block)) {
      faults = { ...faults, drop: faults.drop - 1 };
      // The throwaway decoder starts from the browser's last id: decode what went before first.
      inspectNow();
      const throwaway = createEventStreamDecoder({
        lastEventId: decoder.lastEventId,
        onEvent: (event) => report({ type: 'stream-event', stream: info(), event, treatment: 'dropped' }),
      });
      throwaway.feed(block);
      return;
    }
    held.push({ bytes: block, arrivedAt: now(), dueAt: now() + faults.delayMs });
    heldBytes += block.length;
    if (heldBytes > MAX_HELD_BYTES && !holdPaused) {
      // Held events are bounded: past the limit the upstream waits, as a slow browser makes it.
      holdPaused = true;
      updateUpstreamFlow();
    }
    releaseDue();
  }

  function onUpstreamChunk(chunk: Buffer): void {
    if (ended) return;
    const ends = scanner.scan(chunk);
    if (injections.length === 0 && partialBytes === 0 && !holding()) {
      // The usual case, nothing to fit in or hold back: the chunk goes out whole.
      writeUpstream(chunk);
      midEventWritten = !scanner.atBoundary;
      return;
    }
    const cuts = ends.at(-1) === chunk.length ? ends : [...ends, chunk.length];
    let from = 0;
    for (const [index, end] of cuts.entries()) {
      const piece = chunk.subarray(from, end);
      const completes = index < ends.length;
      from = end;
      if (piece.length === 0 && (!completes || partialBytes === 0) && !midEventWritten) continue;
      if (midEventWritten || (!holding() && partialBytes === 0)) {
        writeUpstream(piece);
        midEventWritten = !completes;
        if (completes) flushInjections();
        continue;
      }
      partial.push(piece);
      partialBytes += piece.length;
      if (completes) {
        const block = Buffer.concat(partial);
        partial = [];
        partialBytes = 0;
        deliverBlock(block);
      } else if (partialBytes > MAX_HELD_BYTES) {
        // One event larger than the hold limit goes through as it comes.
        const start = Buffer.concat(partial);
        partial = [];
        partialBytes = 0;
        writeUpstream(start);
        midEventWritten = true;
      }
    }
  }

  function finish(reason: StreamEndReason, detail?: string): void {
    if (ended) return;
    ended = true;
    if (heldTimer !== undefined) clearTimeout(heldTimer);
    inspectNow();
    decoder.end();
    report({ type: 'stream-close', stream: info(), reason, ...(detail === undefined ? {} : { detail }) });
    parts.onEnd();
  }

  upstreamRes.on('data', onUpstreamChunk);
  res.on('drain', () => {
    writePaused = false;
    updateUpstreamFlow();
  });
  upstreamRes.on('end', () => {
    // Held events still go out before the end, unless paused (then they are lost with the stream).
    if (!faults.paused) {
      for (const block of held.splice(0)) writeUpstream(block.bytes, 'delayed', now() - block.arrivedAt);
      heldBytes = 0;
    }
    for (const piece of partial.splice(0)) writeUpstream(piece);
    flushInjections();
    res.end();
    finish('upstream-ended');
  });
  // After the console closed the stream, the aborted upstream reports an error: the
  // browser's response has already ended cleanly and is left to finish.
  upstreamRes.on('error', (error) => {
    if (ended) return;
    res.destroy();
    finish('upstream-error', error.message);
  });
  upstreamReq.on('error', (error) => {
    if (ended) return;
    res.destroy();
    finish('upstream-error', error.message);
  });
  res.on('close', () => {
    if (!ended) {
      upstreamReq.destroy();
      finish('browser-closed');
    }
  });

  return {
    id,
    info,
    inject(bytesToWrite, event) {
      if (ended) return;
      injections.push({ bytes: bytesToWrite, event });
      flushInjections();
    },
    close(reason) {
      if (ended) return;
      finish(reason);
      res.end();
      upstreamReq.destroy();
    },
    setDelay(ms) {
      faults = { ...faults, delayMs: ms };
      if (ms === 0) {
        for (const block of held) block.dueAt = block.arrivedAt;
      }
      releaseDue();
    },
    addDrop(count) {
      faults = { ...faults, drop: count };
    },
    setPaused(paused) {
      faults = { ...faults, paused };
      if (!paused) releaseDue();
    },
    get faults() {
      return faults;
    },
  };
}

function describeFaults(faults: StreamFaults): string {
  const parts: string[] = [];
  if (faults.paused) parts.push('paused');
  if (faults.delayMs > 0) parts.push(`delay ${faults.delayMs}ms`);
  if (faults.drop > 0) parts.push(`drop ${faults.drop}`);
  return parts.join(', ');
}
