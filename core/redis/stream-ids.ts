/*
Redis stream ids ("<ms>-<seq>", both unsigned 64-bit) and the opaque wire ids built
on them: "<epoch>-<ms>-<seq>", the epoch being the log's (see redis-engine.ts).
*/

/** A Redis stream id as two decimal strings without leading zeros. */
const STREAM_ID = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;
const WIRE_ID = /^([0-9a-f]{8})-((?:0|[1-9][0-9]{0,19})-(?:0|[1-9][0-9]{0,19}))$/;

/** Orders two Redis stream ids as Redis does: by time, then by sequence. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = '', aSeq = ''] = a.split('-');
  const [bMs = '', bSeq = ''] = b.split('-');
  return compareDecimal(aMs, bMs) || compareDecimal(aSeq, bSeq);
}

function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The later of two stream ids. */
export function laterStreamId(a: string, b: string): string {
  return compareStreamIds(a, b) >= 0 ? a : b;
}

/** The id a client sees: the epoch, then the stream id. */
export function wireId(epoch: string, streamId: string): string {
  return `${epoch}-${streamId}`;
}

/** The epoch and stream id of a wire id of this store's form; undefined for any other text. */
export function parseWireId(text: string): { readonly epoch: string; readonly streamId: string } | undefined {
  const match = WIRE_ID.exec(text);
  if (match?.[1] === undefined || match[2] === undefined || !STREAM_ID.test(match[2])) return undefined;
  return { epoch: match[1], streamId: match[2] };
}
