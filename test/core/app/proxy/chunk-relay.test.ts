import { describe, expect, it } from 'vitest';
import { createChunkRelay, type ChunkRelayParts } from '../../../../core/app/proxy/chunk-relay.js';
import { createChunkedBodyReader, type ChunkedBodyReader } from '../../../../core/app/proxy/chunked-body-reader.js';

/** A real reader whose chunk-end lists count every element the relay reads from them. */
function countingReader(): { reader: ChunkedBodyReader; reads: () => number } {
  const inner = createChunkedBodyReader();
  let reads = 0;
  const reader: ChunkedBodyReader = {
    scan(input) {
      const scan = inner.scan(input);
      const chunkEnds = new Proxy(scan.chunkEnds, {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
      return { ...scan, chunkEnds };
    },
    betweenChunks: () => inner.betweenChunks(),
  };
  return { reader, reads: () => reads };
}

/** A relay that re-frames (a fault is on), collecting the payload it is given. */
function reframingRelay(reader: ChunkedBodyReader): { relay: ReturnType<typeof createChunkRelay>; got: Buffer[] } {
  const got: Buffer[] = [];
  const parts: ChunkRelayParts = {
    nothingToChange: () => false,
    writeRaw: () => undefined,
    passedRaw: () => undefined,
    reframe: (payload) => got.push(payload),
    betweenChunks: () => undefined,
    ended: () => false,
  };
  return { relay: createChunkRelay(parts, reader), got };
}

describe('createChunkRelay', () => {
  it('walks a read of many 1-byte chunks with work linear in the chunks, not quadratic', () => {
    const workFor = (chunks: number): number => {
      const { reader, reads } = countingReader();
      const { relay, got } = reframingRelay(reader);
      const scan = relay.read(Buffer.from('1\r\nx\r\n'.repeat(chunks), 'latin1'));
      expect(scan.error).toBeUndefined();
      expect(Buffer.concat(got).toString('latin1')).toBe('x'.repeat(chunks));
      return reads();
    };
    const small = workFor(1000);
    const large = workFor(8000);
    // Eight times the chunks: linear work is ~8× (quadratic would be ~64×), and a few reads per chunk at most.
    expect(large).toBeLessThanOrEqual(4 * 8000);
    expect(large / small).toBeLessThan(12);
  });
});
