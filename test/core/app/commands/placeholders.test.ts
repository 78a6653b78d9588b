import { describe, expect, it } from 'vitest';
import { PLACEHOLDERS, substitutePlaceholders } from '../../../../core/app/commands/index.js';

const now = new Date(2024, 4, 6, 7, 8, 9); // local time 07:08:09

describe('substitutePlaceholders', () => {
  it('fills {n}, {time}, {iso} and {date} inside tokens', () => {
    const tokens = ['send', '--data', 'tick {n} at {time}', '{iso}', '{date}'];
    expect(substitutePlaceholders(tokens, { n: 7, now })).toEqual([
      'send',
      '--data',
      'tick 7 at 07:08:09',
      now.toISOString(),
      now.toLocaleString(),
    ]);
  });

  it('fills every occurrence and leaves other braces alone', () => {
    expect(substitutePlaceholders(['{"n": {n}, "m": {n}, "x": {other}}'], { n: 2, now })).toEqual([
      '{"n": 2, "m": 2, "x": {other}}',
    ]);
  });

  it('never fills a value twice', () => {
    expect(substitutePlaceholders(['{n}{time}'], { n: 1, now })).toEqual(['107:08:09']);
  });

  it('does not change the tokens it was given', () => {
    const tokens = ['{n}'];
    substitutePlaceholders(tokens, { n: 1, now });
    expect(tokens).toEqual(['{n}']);
  });

  it('survives an invalid date', () => {
    expect(substitutePlaceholders(['{iso}'], { n: 1, now: new Date(Number.NaN) })).toEqual(['Invalid Date']);
  });

  it('lists the placeholders it knows', () => {
    expect(PLACEHOLDERS).toEqual(['{n}', '{time}', '{iso}', '{date}']);
  });
});
