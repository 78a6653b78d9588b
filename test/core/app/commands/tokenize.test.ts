import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { joinWords, quoteWord, tokenize } from '../../../../core/app/commands/index.js';

const words = (line: string): string[] => {
  const result = tokenize(line);
  if (!result.ok) throw new Error(result.error);
  return result.tokens.map((token) => token.text);
};

describe('tokenize', () => {
  it.each([
    ['send hello world', ['send', 'hello', 'world']],
    ['  send \t hello  ', ['send', 'hello']],
    ['send "two words"', ['send', 'two words']],
    ["send 'two words'", ['send', 'two words']],
    ['send --data="two words"', ['send', '--data=two words']],
    ['a"b"c\'d\'e', ['abcde']],
    ['send ""', ['send', '']],
    ["send ''", ['send', '']],
    ['x "say \\"hi\\""', ['x', 'say "hi"']],
    ['x "back\\\\slash"', ['x', 'back\\slash']],
    ['x "a\\nb\\tc\\rd"', ['x', 'a\nb\tc\rd']],
    ['x a\\nb', ['x', 'a\nb']],
    ['x two\\ words', ['x', 'two words']],
    ['x "two\\ words"', ['x', 'two words']],
    ["x it\\'s", ['x', "it's"]],
    ["send it's here", ['send', "it's", 'here']],
    ["send don't say 'hi'", ['send', "don't", 'say', 'hi']],
    ["send l'été", ['send', "l'été"]],
    ["x 'no \\n escapes'", ['x', 'no \\n escapes']],
    ['x C:\\data', ['x', 'C:\\data']],
    ['x trailing\\', ['x', 'trailing\\']],
    ['x "{\\"a\\": 1}"', ['x', '{"a": 1}']],
    ['x \'{"a": 1}\'', ['x', '{"a": 1}']],
    ['x héllo 😀 \u0001', ['x', 'héllo', '😀', '\u0001']],
  ])('%j → %j', (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it('reports where each word starts and ends', () => {
    const result = tokenize('send  "a b" c');
    expect(result.ok && result.tokens).toEqual([
      { text: 'send', start: 0, end: 4 },
      { text: 'a b', start: 6, end: 11 },
      { text: 'c', start: 12, end: 13 },
    ]);
  });

  it.each([
    ['send "abc', '"', 6],
    ["send 'abc", "'", 6],
    ['send ok "a\\"', '"', 9],
    ["x 'it's'", "'", 8],
  ])('%j: unclosed %s quote at column %i', (line, quote, column) => {
    const result = tokenize(line);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(
        new RegExp(`^unclosed ${quote} quote starting at column ${column}: add a closing ${quote}`),
      );
    }
  });

  it('keeps the unclosed word as the last token, for completion', () => {
    const result = tokenize('help "se');
    expect(result.tokens.at(-1)).toEqual({ text: 'se', start: 5, end: 8 });
  });
});

describe('quoteWord and joinWords', () => {
  it.each([
    ['plain', 'plain'],
    ['', '""'],
    ['two words', '"two words"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['a\nb', '"a\\nb"'],
    ['{time}', '{time}'],
  ])('%j → %s', (word, quoted) => {
    expect(quoteWord(word)).toBe(quoted);
  });

  it('round-trips any words through tokenize', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme-ascii' }), { maxLength: 8 }), (list) => {
        expect(words(joinWords(list))).toEqual(list);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 5 }), (list) => {
        expect(words(joinWords(list))).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });
});
