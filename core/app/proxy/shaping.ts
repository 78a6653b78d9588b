import type { RechunkMode } from './rechunk.js';

/**
Faults that act like infrastructure between the app and the browser (a buffering
reverse proxy, an idle timeout, a browser's connection pool), set for the whole
proxy: every live stream and the ones opened later.
*/
export interface ProxyShaping {
  /** Hold output to the browser until this many bytes gathered (0: off). */
  readonly bufferBytes: number;
  /** Cut a stream after this long without a byte from upstream (0: off). */
  readonly idleCutMs: number;
  /** Most stream requests in flight at once; more wait with no answer (0: no limit). */
  readonly limit: number;
  /** Compress streams opened from now on with gzip, never flushing the compressor. */
  readonly gzip: boolean;
  /** Cut the bytes to the browser at hostile places (rechunk.ts). */
  readonly rechunk: RechunkMode;
}

export const NO_SHAPING: ProxyShaping = { bufferBytes: 0, idleCutMs: 0, limit: 0, gzip: false, rechunk: 'off' };

/** The shaping faults in force, in words, one each (for the status line). */
export function describeShaping(shaping: ProxyShaping): string[] {
  const words: string[] = [];
  if (shaping.bufferBytes > 0) words.push(`buffer ${shaping.bufferBytes} B`);
  if (shaping.idleCutMs > 0) words.push(`idle-cut ${shaping.idleCutMs / 1000}s`);
  if (shaping.limit > 0) words.push(`limit ${shaping.limit}`);
  if (shaping.gzip) words.push('gzip');
  if (shaping.rechunk !== 'off') words.push(`rechunk ${shaping.rechunk}`);
  return words;
}
