import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import {
  clipText,
  cutToWidth,
  fitColumns,
  showBlock,
  showLine,
  stripUnsafe,
  terminalJson,
} from '../../../core/terminal/terminal-text.js';

describe('showLine', () => {
  it('escapes C0, C1, ESC sequences, line separators and bidi controls, and keeps the rest', () => {
    expect(showLine('a\r\nb\tc')).toBe('a␍␊b␉c');
    expect(showLine('\u001b]52;c;eA==\u0007\u009b2J')).toBe('\\x1b]52;c;eA==\\x07\\x9b2J');
    expect(showLine('tick\u202e \u2066x\u2069 \u2028 \u061c')).toBe(
      'tick\\u{202e} \\u{2066}x\\u{2069} \\u{2028} \\u{61c}',
    );
    expect(showLine('héllo 世界 \u{1F600}')).toBe('héllo 世界 \u{1F600}');
  });

  it('cuts before escaping: a control counts as wide as its escape, and the marker says how much was cut', () => {
    expect(showLine('\u0001'.repeat(100), 10)).toBe(`${'\\x01'.repeat(2)}… (98 more characters)`);
    expect(showLine('世'.repeat(10), 5)).toBe(`${'世'.repeat(2)}… (8 more characters)`);
  });

  it('looks at a bounded part of a huge input', () => {
    const huge = '\u001b'.repeat(50 * 1024 * 1024);
    const shown = showLine(huge, 100);
    expect(shown.length).toBeLessThan(200);
    expect(shown).toContain(`(${huge.length - 25} more characters)`);
  });
});

describe('showBlock', () => {
  it('keeps LF and tab, escapes the rest', () => {
    expect(showBlock('a\tb\nc\r\u001b', 100)).toBe('a\tb\nc␍\\x1b');
  });
});

describe('cutToWidth', () => {
  it('returns text that fits unchanged and never splits a surrogate pair', () => {
    expect(cutToWidth('short', 10)).toBe('short');
    expect(cutToWidth('\u{1F600}'.repeat(4), 3)).toBe('\u{1F600}… (6 more characters)');
  });
});

describe('fitColumns', () => {
  it('pads or cuts to exactly the width in terminal columns', () => {
    expect(fitColumns('ab', 4)).toBe('ab  ');
    expect(fitColumns('ab', 4, 'right')).toBe('  ab');
    expect(stringWidth(fitColumns('世界世界世界', 5))).toBe(5);
    expect(fitColumns('abcdef', 4)).toBe('abc…');
  });
});

describe('stripUnsafe', () => {
  it('removes escape sequences whole and drops other controls', () => {
    expect(stripUnsafe('\u001b[31mred\u001b[0m \u001b]0;title\u0007x\u202e\u0000y')).toBe('red xy');
  });
});

describe('terminalJson', () => {
  it('writes C1, DEL, line separators and bidi controls as \\u escapes and parses back to the same strings', () => {
    const value = { text: 'a\u0085b\u009bc\u007f\u202e\u2066\u2028\u001b' };
    const json = terminalJson(value);
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e\u2066]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('clipText', () => {
  it('keeps at most maxLength units, never half a surrogate pair', () => {
    expect(clipText('abcdef', 4)).toEqual({ text: 'abcd', omitted: 2 });
    expect(clipText('a\u{1F600}b', 2)).toEqual({ text: 'a', omitted: 3 });
    expect(clipText('abc', 4)).toEqual({ text: 'abc', omitted: 0 });
  });
});
