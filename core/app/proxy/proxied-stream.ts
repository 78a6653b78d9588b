import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DecodedEvent } from '../../index.js';
import type { ChunkedScan } from './chunked-body-reader.js';
import { createChunkRelay } from './chunk-relay.js';
import { createEventGate } from './event-gate.js';
import { createFaultTiming, describeFaults, type StreamFaults } from './stream-faults.js';
import { createReframedOutput } from './reframed-output.js';
import { NO_SHAPING, type ProxyShaping } from './shaping.js';
import { createStreamInspection } from './stream-inspection.js';
import type { EventTreatment, ProxyReport, ProxyStreamInfo, StreamEndReason } from './types.js';

export { MAX_HELD_BYTES } from './held-events.js';
export type { StreamFaults } from './stream-faults.js';

/** The upstream's own connection, handed over after the answer's head (see upstream-handover.ts). */
export interface UpstreamConnection {
  readonly socket: Duplex;
  /** The raw bytes that followed the head in the reads node:http had taken. */
  readonly bodyStart: Buffer;
}

export interface ProxiedStreamParts {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly upstreamReq: ClientRequest;
  readonly upstreamRes: IncomingMessage;
  /**
  Set when the upstream's chunked body is read raw from its connection: while no
  fault is active its bytes go to the browser's connection as they came (both
  answers are chunked). Unset: node:http's decoded body, written with res.write.
  */
  readonly upstreamConnection?: UpstreamConnection | undefined;
  /** The faults the stream starts with. */
  readonly faults?: StreamFaults | undefined;
  /** The proxy-wide faults (buffer, idle-cut …) in force when the stream opens. */
  readonly shaping?: ProxyShaping | undefined;
  /**
  `gzip` was on when the stream opened (its head says Content-Encoding: gzip): what
  goes to the browser is compressed and the compressor never flushed, so events
  wait in it until its buffer fills, as behind a compressing proxy that does not
  know about event streams. Such a stream is always re-framed.
  */
  readonly compress?: boolean | undefined;
  readonly path: string;
  readonly upstreamUrl: string;
  readonly report: (report: ProxyReport) => void;
  /** Whether anyone wants the exact bytes now (`raw on`); asked per chunk, so it stays cheap when off. */
  readonly wantsBytes: () => boolean;
  readonly now: () => number;
  /** Most characters the decoder holds for one unfinished line or event (see stream-inspection.ts). */
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
  /** The proxy-wide faults changed (buffer, idle-cut): they apply from now on. */
  setShaping(shaping: ProxyShaping): void;
  readonly faults: StreamFaults;
}

/**
One proxied event stream, the wiring of its parts: upstream bytes are forwarded the
moment they arrive, and a copy goes to the inspection (stream-inspection.ts), which
tells the console what the browser saw. Faults (`delay`, `drop`, `pause`:
stream-faults.ts) work on whole events, cut by the event gate (event-gate.ts);
`inject` writes only between events.

Two ways to the browser: while nothing is held or waiting to be injected, an upstream
read raw from its connection is written to the browser's connection as it came, HTTP
chunk framing and all, as a byte relay would (the proxy parses the copy, after the
write). A fault or an injection switches the stream to re-framing, at the end of the
upstream's current HTTP chunk: from there the payload goes through res.write, cut at
event boundaries (reframed-output.ts); once nothing is held any more it switches
back, again between chunks (chunk-relay.ts). A stream whose answers cannot both be chunked is always
re-framed.

Back-pressure: when the browser's socket is full, the upstream is paused until it
drains, so a browser that stops reading stops its upstream too.
*/
export function createProxiedStream(parts: ProxiedStreamParts): ProxiedStream {
  const { id, req, res, upstreamReq, upstreamRes, report, now } = parts;
  const connection = parts.upstreamConnection;
  /** Where upstream bytes are read from: its raw connection, or node:http's decoded body. */
  const upstreamSource = connection?.socket ?? upstreamRes;
  const browserSocket = res.socket;
  const openedAt = now();
  const lastEventIdHeader = req.headers['last-event-id'];
  const lastEventIdSent = typeof lastEventIdHeader === 'string' ? lastEventIdHeader : undefined;
  let bytes = 0;
  let ended = false;
  const injections: { bytes: Buffer; event: DecodedEvent }[] = [];
  let writePaused = false;
  let holdFull = false;
  let shaping: ProxyShaping = parts.shaping ?? NO_SHAPING;
  /** Re-framed payload goes through `buffer`, `rechunk` and `gzip` (reframed-output.ts). */
  const output = createReframedOutput({
    res,
    compress: parts.compress === true,
    shaping,
    ended: () => ended,
    written: (count, accepted) => {
      bytes += count;
      wrote(accepted);
    },
    drained: () => onDrain(),
  });
  /** `idle-cut`: restarted by every upstream read, so it fires only after that long without a byte. */
  let idleTimer: NodeJS.Timeout | undefined;

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
  // Built field by field (no spread): one is made for every report.
  const info = (): ProxyStreamInfo => ({
    id,
    method: fixed.method,
    path: fixed.path,
    upstreamUrl: fixed.upstreamUrl,
    remoteAddress: fixed.remoteAddress,
    remotePort: fixed.remotePort,
    userAgent: fixed.userAgent,
    lastEventIdSent,
    lastEventId: inspection.lastEventId(),
    openedAt,
    events: inspection.events(),
    bytes,
    bufferedBytes: res.writableLength,
    heldBytes: timing.heldBytes() + gate.partialBytes() + output.held(),
    // The source's own state, not the intent: true only while its reads are really stopped.
    upstreamPaused: upstreamSource.isPaused(),
    faults: describeFaults(timing.faults()),
  });

  const inspection = createStreamInspection({
    report,
    info,
    wantsBytes: parts.wantsBytes,
    maxBufferSize: parts.maxBufferSize,
    lastEventIdSent,
  });
  const timing = createFaultTiming({
    faults: parts.faults ?? { delayMs: 0, drop: 0, paused: false },
    now,
    release: (block, heldMs) => writeUpstream(block, heldMs > 0 ? 'delayed' : 'passed', heldMs),
    dropped: (block) => inspection.dropped(block),
    onFull: (full) => {
      holdFull = full;
      updateUpstreamFlow();
    },
  });

  function updateUpstreamFlow(): void {
    if (ended) return;
    if (writePaused || holdFull) upstreamSource.pause();
    else upstreamSource.resume();
  }

  function wrote(accepted: boolean): void {
    if (accepted) return;
    writePaused = true;
    updateUpstreamFlow();
  }

  /** Writes upstream payload to the browser, framed by res.write; the inspection sees it just after. */
  function writeUpstream(chunk: Buffer, how: EventTreatment = 'passed', heldMs = 0): void {
    if (ended || chunk.length === 0) return;
    output.write(chunk, () => inspection.passed(chunk, how, heldMs));
  }

  function writeInjected(item: { bytes: Buffer; event: DecodedEvent }): void {
    if (ended) return;
    output.write(item.bytes, () => inspection.injected(item.bytes, item.event));
  }

  function flushInjections(): void {
    while (injections.length > 0 && !gate.midEvent() && !relay.browserMidChunk()) {
      const next = injections.shift();
      if (next) writeInjected(next);
    }
  }

  /** Nothing to fit in or hold back: upstream bytes may go out as they came. */
  const nothingToChange = (): boolean =>
    injections.length === 0 &&
    gate.partialBytes() === 0 &&
    !timing.holding() &&
    shaping.bufferBytes === 0 &&
    output.held() === 0 &&
    shaping.rechunk === 'off' &&
    !output.busy();

  const gate = createEventGate({
    nothingToChange,
    holding: () => timing.holding(),
    write: (piece) => writeUpstream(piece),
    deliver: (block) => timing.deliver(block),
    betweenEvents: flushInjections,
  });

  /** Upstream payload (the event stream's own bytes), cut at event boundaries while faults need it. */
  function onUpstreamPayload(chunk: Buffer): void {
    if (ended) return;
    idleTimer?.refresh();
    gate.payload(chunk);
  }

  /** Reads of the upstream's connection: written as they came while nothing changes (chunk-relay.ts). */
  const relay = createChunkRelay({
    nothingToChange,
    writeRaw: (raw) => wrote(browserSocket?.write(raw) ?? false),
    passedRaw: (data) => {
      bytes += data.length;
      gate.passed(data);
      inspection.passed(data, 'passed', 0);
    },
    reframe: onUpstreamPayload,
    betweenChunks: flushInjections,
    ended: () => ended,
  });
  function onUpstreamRead(input: Buffer): void {
    if (ended) return;
    idleTimer?.refresh();
    afterRead(relay.read(input));
  }

  function afterRead(scan: ChunkedScan): void {
    if (ended) return;
    if (scan.error !== undefined) {
      res.destroy();
      connection?.socket.destroy();
      finish('upstream-error', scan.error);
    } else if (scan.complete) {
      upstreamEnded();
      connection?.socket.destroy();
    }
  }

  function upstreamEnded(): void {
    // Held events still go out before the end, unless paused (then they are lost with the stream).
    timing.releaseAll();
    gate.flushPartial();
    flushInjections();
    output.flush();
    output.end();
    finish('upstream-ended');
  }

  function upstreamFailed(message: string): void {
    if (ended) return;
    res.destroy();
    finish('upstream-error', message);
  }

  function finish(reason: StreamEndReason, detail?: string): void {
    if (ended) return;
    ended = true;
    timing.stop();
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    inspection.end();
    report({ type: 'stream-close', stream: info(), reason, ...(detail === undefined ? {} : { detail }) });
    browserSocket?.removeListener('drain', onDrain);
    parts.onEnd();
  }

  const onDrain = (): void => {
    writePaused = false;
    updateUpstreamFlow();
  };
  res.on('drain', onDrain);
  if (connection === undefined) {
    upstreamRes.on('data', onUpstreamPayload);
    upstreamRes.on('end', upstreamEnded);
    // After the console closed the stream, the aborted upstream reports an error: the
    // browser's response has already ended cleanly and is left to finish.
    upstreamRes.on('error', (error) => upstreamFailed(error.message));
    upstreamReq.on('error', (error) => upstreamFailed(error.message));
  } else {
    // Raw writes bypass res, so its 'drain' does not tell of them: the socket's does.
    browserSocket?.on('drain', onDrain);
    connection.socket.on('data', onUpstreamRead);
    connection.socket.on('error', (error) => upstreamFailed(error.message));
    connection.socket.on('close', () => upstreamFailed('the upstream closed the connection before the stream ended'));
    if (connection.bodyStart.length > 0) onUpstreamRead(connection.bodyStart);
  }
  const abortUpstream = (): void => {
    if (connection === undefined) upstreamReq.destroy();
    else connection.socket.destroy();
  };
  res.on('close', () => {
    if (!ended) {
      abortUpstream();
      finish('browser-closed');
    }
  });

  function closeStream(reason: StreamEndReason): void {
    if (ended) return;
    finish(reason);
    // Inside an upstream chunk the browser's answer cannot end cleanly: its connection is cut.
    if (relay.browserMidChunk()) res.destroy();
    else output.end();
    abortUpstream();
  }

  /** Counts quiet time from now (or the last upstream byte, whichever is later): never cuts at once. */
  function armIdleCut(): void {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (ended || shaping.idleCutMs === 0) return;
    idleTimer = setTimeout(() => closeStream('idle-cut'), shaping.idleCutMs);
  }
  armIdleCut();

  return {
    id,
    info,
    inject(bytesToWrite, event) {
      if (ended) return;
      injections.push({ bytes: bytesToWrite, event });
      flushInjections();
    },
    close: closeStream,
    setDelay(ms) {
      timing.setDelay(ms);
    },
    addDrop(count) {
      timing.setDrop(count);
    },
    setPaused(paused) {
      timing.setPaused(paused);
    },
    setShaping(next) {
      const idleChanged = next.idleCutMs !== shaping.idleCutMs;
      shaping = next;
      // Switched between events where the stream is re-framed; the raw relay switches between chunks.
      output.setShaping(next);
      if (idleChanged) armIdleCut();
    },
    get faults() {
      return timing.faults();
    },
  };
}
