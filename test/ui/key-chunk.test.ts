import { describe, expect, it } from 'vitest';
import { holdsSeveralKeys, splitKeyChunk } from '../../ui/prompt/key-chunk.js';

describe('splitKeyChunk', () => {
  it('splits Ctrl+letter keys out of a chunk, in order', () => {
    expect(splitKeyChunk('\u0017\u0017')).toEqual([
      { input: 'w', ctrl: true },
      { input: 'w', ctrl: true },
    ]);
    expect(splitKeyChunk('ab\u0005\u0015cd')).toEqual([
      { input: 'ab', ctrl: false },
      { input: 'e', ctrl: true },
      { input: 'u', ctrl: true },
      { input: 'cd', ctrl: false },
    ]);
  });

  it('leaves Tab, LF and CR in pasted text', () => {
    expect(holdsSeveralKeys('one\ttwo\r\n')).toBe(false);
    expect(holdsSeveralKeys('\u0017')).toBe(false);
    expect(holdsSeveralKeys('x\u0017')).toBe(true);
  });
});
