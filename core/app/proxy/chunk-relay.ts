import { createChunkedBodyReader, type ChunkedBodyReader, type ChunkedScan } from './chunked-body-reader.js';

/** What the relay asks of its stream (proxied-stream.ts). */
export interface ChunkRelayParts {
  /** Nothing to fit in or hold back now: upstream bytes may go out as they came. */
  readonly nothingToChange: () => boolean;
  /** Writes raw upstream bytes, HTTP framing and all, to the browser's socket. */
  readonly writeRaw: (raw: Buffer) => void;
  /** Upstream payload that went out inside those raw bytes (to count, scan and inspect). */
  readonly passedRaw: (payload: Buffer) => void;
  /** Upstream payload to write re-framed (cut at events, held, dropped …). */
  readonly reframe: (payload: Buffer) => void;
  /** The browser is between two HTTP chunks again: what waited for that may go. */
  readonly betweenChunks: () => void;
  readonly ended: () => boolean;
}

/**
Reads of an upstream connection taken over after its head (upstream-handover.ts),
whose chunked body goes to a browser answer that is chunked too. While nothing is to
change, each read is written as it came; otherwise its payload is re-framed. The
switch happens only between two upstream chunks, so that the browser never gets
the proxy's own chunk inside one of the upstream's.
*/
export interface ChunkRelay {
  /** Handles one read; the scan says whether the body ended or broke. */
  read(input: Buffer): ChunkedScan;
  /** Raw bytes of an upstream chunk not finished yet reached the browser: nothing may go in between. */
  browserMidChunk(): boolean;
}

/** `reader` is the upstream body's scanner; a test may hand in one that counts the work done on its results. */
export function createChunkRelay(
  parts: ChunkRelayParts,
  reader: ChunkedBodyReader = createChunkedBodyReader(),
): ChunkRelay {
  let passingRaw = true;
  let browserMidChunk = false;

  /** The usual read, nothing to fit in or hold back: written as it came. */
  function relay(scan: ChunkedScan): void {
    const { raw, payload, forwardEnd } = scan;
    if (forwardEnd > 0) parts.writeRaw(forwardEnd === raw.length ? raw : raw.subarray(0, forwardEnd));
    for (const { data } of payload) parts.passedRaw(data);
    // A read that stops inside a chunk leaves the browser there; a size line held back does not.
    browserMidChunk = forwardEnd === raw.length && !reader.betweenChunks();
  }

  function read(input: Buffer): ChunkedScan {
    const startedBetweenChunks = reader.betweenChunks();
    const scan = reader.scan(input);
    if (passingRaw && parts.nothingToChange()) {
      relay(scan);
      return scan;
    }
    const { raw, payload, chunkEnds, forwardEnd } = scan;
    /*
    Offsets asked about only grow (the read is walked front to back), so a running
    index into chunkEnds answers each question in amortised constant time: a read of
    many tiny chunks costs work linear in its chunks, not quadratic.
    */
    let endIndex = 0;
    const skipEndsBefore = (offset: number): void => {
      while (endIndex < chunkEnds.length && (chunkEnds[endIndex] ?? offset) < offset) endIndex += 1;
    };
    const isBoundary = (offset: number): boolean => {
      if (offset === 0 && startedBetweenChunks) return true;
      skipEndsBefore(offset);
      if (chunkEnds[endIndex] === offset) return true;
      return offset === forwardEnd && (forwardEnd < raw.length || reader.betweenChunks());
    };
    const nextBoundary = (offset: number): number => {
      skipEndsBefore(offset);
      const end = chunkEnds[endIndex] === offset ? chunkEnds[endIndex + 1] : chunkEnds[endIndex];
      return end !== undefined && end <= forwardEnd ? end : forwardEnd;
    };
    let at = 0;
    let piece = 0;
    const passRaw = (limit: number): void => {
      if (limit > at) parts.writeRaw(raw.subarray(at, limit));
      while (piece < payload.length && (payload[piece]?.rawStart ?? limit) < limit) {
        const data = payload[piece]?.data;
        piece += 1;
        if (data !== undefined) parts.passedRaw(data);
      }
      at = limit;
      browserMidChunk = !isBoundary(at);
      if (!browserMidChunk) parts.betweenChunks();
    };
    const reframe = (limit: number): void => {
      while (piece < payload.length && (payload[piece]?.rawStart ?? limit) < limit) {
        const data = payload[piece]?.data;
        piece += 1;
        if (data !== undefined) parts.reframe(data);
      }
      at = limit;
    };
    while (at < forwardEnd && !parts.ended()) {
      if (passingRaw) {
        if (parts.nothingToChange()) passRaw(forwardEnd);
        else if (!isBoundary(at)) passRaw(nextBoundary(at));
        else {
          // A fault or an injection needs re-framing: here, between two upstream chunks.
          passingRaw = false;
          parts.betweenChunks();
        }
      } else if (parts.nothingToChange() && isBoundary(at)) {
        passingRaw = true;
      } else {
        reframe(nextBoundary(at));
      }
    }
    return scan;
  }

  return {
    read,
    browserMidChunk: () => browserMidChunk,
  };
}
