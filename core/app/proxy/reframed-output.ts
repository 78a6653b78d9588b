import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { createGatheredOutput } from './gathered-output.js';
import { createRechunker } from './rechunk.js';
import type { ProxyShaping } from './shaping.js';

export interface ReframedOutputParts {
  readonly res: ServerResponse;
  /** `gzip` was on when the stream opened: everything goes through a compressor that never flushes. */
  readonly compress: boolean;
  readonly shaping: ProxyShaping;
  /** The stream has ended (closed or failed, unless it is ending cleanly): nothing more is written. */
  readonly ended: () => boolean;
  /** Bytes handed to the browser's answer; `accepted` is false when it is full. */
  readonly written: (bytes: number, accepted: boolean) => void;
  /** The browser's answer (or the compressor, or rechunk's queue) can take more again. */
  readonly drained: () => void;
}

/**
The way to the browser for re-framed payload (res.write): `buffer` gathers it
(gathered-output.ts), `rechunk` cuts it (rechunk.ts), `gzip` compresses it, in that
order. The raw relay (chunk-relay.ts) bypasses all of it.
*/
export interface ReframedOutput {
  /** Writes bytes; `sent` runs once they went out (the inspection's copy). */
  write(bytes: Buffer, sent: () => void): void;
  /** The proxy-wide shaping changed: from now on it applies (buffer off sends what it held). */
  setShaping(shaping: ProxyShaping): void;
  /** Sends everything `buffer` holds. */
  flush(): void;
  /** Ends the browser's answer once rechunk's queue went out (through the compressor, which sends what it held). */
  end(): void;
  /** Bytes `buffer` holds now. */
  held(): number;
  /** rechunk still has pieces queued. */
  busy(): boolean;
}

export function createReframedOutput(parts: ReframedOutputParts): ReframedOutput {
  const { res } = parts;
  const gzip = parts.compress ? createGzip() : undefined;
  gzip?.pipe(res);
  gzip?.on('drain', parts.drained);
  /** The stream ended with the upstream: pieces rechunk still queues go out before the end. */
  let endingCleanly = false;
  const rechunker = createRechunker({
    write: (piece) =>
      parts.ended() && !endingCleanly ? true : gzip === undefined ? res.write(piece) : gzip.write(piece),
    drained: parts.drained,
  });
  const gathered = createGatheredOutput({
    write: (chunk) => parts.written(chunk.length, rechunker.write(chunk)),
  });
  rechunker.setMode(parts.shaping.rechunk);
  gathered.setSize(parts.shaping.bufferBytes);

  return {
    write: (bytes, sent) => gathered.write(bytes, sent),
    setShaping(shaping) {
      gathered.setSize(shaping.bufferBytes);
      if (shaping.bufferBytes === 0) gathered.flush();
      rechunker.setMode(shaping.rechunk);
    },
    flush: () => gathered.flush(),
    end() {
      endingCleanly = true;
      rechunker.whenIdle(() => {
        if (gzip === undefined) res.end();
        else gzip.end();
      });
    },
    held: () => gathered.held(),
    busy: () => rechunker.busy(),
  };
}
