import { describe, expect, it } from 'vitest';
import { createEventBoundaryScanner } from '../../../../core/app/proxy/event-boundary.js';

/** Boundary offsets in the whole text when it arrives split at `cuts`. */
function boundaries(text: string, cuts: readonly number[]): { ends: number[]; atBoundary: boolean } {
  const bytes = Buffer.from(text, 'latin1');
  const scanner = createEventBoundaryScanner();
  const ends: number[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    for (const end of scanner.scan(bytes.subarray(from, to))) ends.push(from + end);
    from = to;
  }
  return { ends, atBoundary: scanner.atBoundary() };
}

const vectors: readonly [string, number[]][] = [
  ['data: a\n\n', [9]],
  ['data: a\r\n\r\n', [11]],
  ['data: a\r\rdata: b', [9]],
  // A CR that ends the bytes so far may still get its LF: its boundary waits for the next byte.
  ['data: a\r\r', []],
  ['data: a\ndata: b\n\nid: 2\n\n', [17, 24]],
  [': comment\n\ndata: x\r\n\r\n', [11, 22]],
  ['\n', [1]],
  ['data: half', []],
  ['data: a\r\ndata: b\r\n', []],
];

describe('event boundary scanner', () => {
  it.each(vectors)('finds the blank lines in %j wherever the chunks are cut', (text, expected) => {
    for (let cut = 0; cut <= text.length; cut += 1) {
      expect(boundaries(text, [cut]).ends, `cut at ${cut}`).toEqual(expected);
      for (let second = cut; second <= text.length; second += 1) {
        expect(boundaries(text, [cut, second]).ends, `cuts at ${cut}, ${second}`).toEqual(expected);
      }
    }
  });

  it('is at a boundary only after a whole event, and not after a CR that may still get its LF', () => {
    expect(boundaries('', []).atBoundary).toBe(true);
    expect(boundaries('data: a\n\n', []).atBoundary).toBe(true);
    expect(boundaries('data: a\n', []).atBoundary).toBe(false);
    expect(boundaries('data: a\r\n\r', []).atBoundary).toBe(false);
    expect(boundaries('data: a\r\n\r\n', []).atBoundary).toBe(true);
    expect(boundaries('data: a\r\n\r\ndata', []).atBoundary).toBe(false);
  });
});

describe('a scan that starts inside an event (where the bounded decoder stopped)', () => {
  const scanFrom = (start: { atLineStart: boolean; afterCr: boolean }, text: string): number[] =>
    createEventBoundaryScanner(start).scan(Buffer.from(text, 'latin1'));

  it('mid-line: the line ends first, then the blank line ends the event', () => {
    expect(scanFrom({ atLineStart: false, afterCr: false }, 'xx\n\ndata: b\n\n')).toEqual([4, 13]);
    expect(scanFrom({ atLineStart: false, afterCr: false }, '\ndata: b\n\n')).toEqual([10]);
  });

  it('at a line start: a blank line first ends the event at once', () => {
    expect(scanFrom({ atLineStart: true, afterCr: false }, '\ndata: b\n\n')).toEqual([1, 10]);
  });

  it('after a CR: an LF first is the rest of that CRLF, not a blank line', () => {
    expect(scanFrom({ atLineStart: true, afterCr: true }, '\n\r\n')).toEqual([3]);
    expect(createEventBoundaryScanner({ atLineStart: false, afterCr: false }).atBoundary()).toBe(false);
  });
});
