import { nowUs } from './clock.js';

/**
Every benchmark event's data starts with this byte, followed by the send time in
microseconds as a fixed-width decimal. The load generator counts events by
counting this byte (it never occurs in headers, comments or framing) and reads
the timestamp after it to get the send-to-receive latency.
*/
export const EVENT_MARK = 0x40; // '@'
export const STAMP_DIGITS = 16;

const paddings = new Map<number, string>();

/** Data of exactly `size` bytes (at least 18): mark, send time, padding. */
export function stampedData(size: number): string {
  let padding = paddings.get(size);
  if (padding === undefined) {
    padding = `;${'x'.repeat(Math.max(0, size - STAMP_DIGITS - 2))}`;
    paddings.set(size, padding);
  }
  return `@${Math.floor(nowUs()).toString().padStart(STAMP_DIGITS, '0')}${padding}`;
}
