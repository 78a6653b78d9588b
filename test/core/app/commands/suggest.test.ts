import { describe, expect, it } from 'vitest';
import { closestWord, editDistance } from '../../../../core/app/commands/index.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['send', 'send', 0],
    ['sned', 'send', 1],
    ['sen', 'send', 1],
    ['sendd', 'send', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j → %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestWord', () => {
  const words = ['send', 'stop', 'history', 'help', 'clear', 'close'];

  it.each([
    ['sned', 'send'],
    ['SEND', 'send'],
    ['hist', 'history'],
    ['clr', 'clear'],
    ['hepl', 'help'],
    ['xyzzy', undefined],
    ['', undefined],
    ['s', undefined],
    ['x'.repeat(1000), undefined],
  ])('%j → %j', (typed, expected) => {
    expect(closestWord(typed, words)).toBe(expected);
  });
});
