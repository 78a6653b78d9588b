import { EVENT_MARK, STAMP_DIGITS } from '../harness/event-data.js';

/**
Minimal reader of one SSE response on a raw socket: waits for the end of the
HTTP head, checks the status, then counts benchmark events (one mark byte each)
and reads the send time after each mark, across chunk boundaries. It does not
de-chunk the body: chunk-size lines never contain the mark, and every server
here writes whole events per chunk, so a timestamp is only ever split by TCP,
which the digit carry handles.
*/
export interface EventScanner {
  /**
  Feeds the first `length` bytes of `chunk` (default all of it), which are used at
  once and never kept; calls `onEvent(sentAtUs)` for each complete event.
  */
  feed(chunk: Buffer, onEvent: (sentAtUs: number) => void, length?: number): void;
  readonly headComplete: boolean;
  /** HTTP status, once the head is complete. */
  readonly status: number;
  /** Events whose send time was not all digits (corrupted bytes); they are not passed to `onEvent`. */
  readonly malformed: number;
  /**
  Events sent before the one read just before them: a server writes in send order, so
  this counts reordered events and an earlier event read again (a duplicate).
  */
  readonly outOfOrder: number;
}

const headEnd = Buffer.from('\r\n\r\n');
const maxHeadBytes = 16 * 1024;

/**
`headless`: the body alone, for HTTP/2 (its status and headers come in a HEADERS
frame, which node:http2 has already read): complete from the start, status 200.
*/
export function createEventScanner(headless = false): EventScanner {
  let head: Buffer | undefined = headless ? undefined : Buffer.alloc(0);
  let status = headless ? 200 : 0;
  let digitsLeft = 0;
  let stamp = 0;
  let malformed = 0;
  let outOfOrder = 0;
  let lastSentUs = 0;
  /** The stamp being read had a byte that is not a digit. */
  let broken = false;

  // Hot: runs for every delivery. State lives in locals while scanning (closure
  // variables are slower to update) and is written back at the end.
  const scanBody = (chunk: Buffer, from: number, onEvent: (sentAtUs: number) => void): void => {
    const length = chunk.length;
    let i = from;
    let left = digitsLeft;
    let value = stamp;
    let bad = broken;
    for (;;) {
      if (left > 0) {
        const stop = i + left <= length ? i + left : length;
        left -= stop - i;
        for (; i < stop; i += 1) {
          // In range by the bound above, so the read is never undefined.
          const digit = (chunk[i] as number) - 48;
          // One compare per byte: a corrupted stamp is counted, never read as a time.
          if (digit >>> 0 > 9) bad = true;
          value = value * 10 + digit;
        }
        if (left > 0) break;
        if (bad) {
          malformed += 1;
        } else {
          if (value < lastSentUs) outOfOrder += 1;
          lastSentUs = value;
          onEvent(value);
        }
      }
      const mark = chunk.indexOf(EVENT_MARK, i);
      if (mark < 0) break;
      left = STAMP_DIGITS;
      value = 0;
      bad = false;
      i = mark + 1;
    }
    digitsLeft = left;
    stamp = value;
    broken = bad;
  };

  return {
    feed(chunk, onEvent, length = chunk.length) {
      // A view of the bytes read, so that searches stop at their end.
      const received = length === chunk.length ? chunk : chunk.subarray(0, length);
      if (head === undefined) {
        scanBody(received, 0, onEvent);
        return;
      }
      const joined: Buffer = head.length === 0 ? received : Buffer.concat([head, received]);
      const end = joined.indexOf(headEnd);
      if (end < 0) {
        if (joined.length > maxHeadBytes) throw new Error('response head longer than 16 KiB');
        // A copy: the chunk may be a read buffer that the next read overwrites.
        head = Buffer.from(joined);
        return;
      }
      const statusLine = joined.toString('latin1', 0, joined.indexOf('\r\n'));
      status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      head = undefined;
      scanBody(joined, end + headEnd.length, onEvent);
    },
    get headComplete() {
      return head === undefined;
    },
    get status() {
      return status;
    },
    get malformed() {
      return malformed;
    },
    get outOfOrder() {
      return outOfOrder;
    },
  };
}
