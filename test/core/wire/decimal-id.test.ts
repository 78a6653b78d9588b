import { describe, expect, it } from 'vitest';
import { decimalId } from '../../../core/index.js';
import { numericId } from '../../../core/wire/decimal-id.js';

describe('decimalId: the one rule for an id that is a number on the wire', () => {
  it.each([
    ['0', 0],
    ['5', 5],
    ['42', 42],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %s as %d', (text, value) => {
    expect(decimalId(text)).toBe(value);
  });

  it.each(['', '05', '+5', '-5', '5.0', ' 5', '5 ', '1e3', '0x10', 'order-7', '9007199254740992', '12345678901234567'])(
    'leaves %j a string',
    (text) => {
      expect(decimalId(text)).toBeUndefined();
    },
  );

  it('numericId keeps numbers and reads strings by decimalId', () => {
    expect(numericId(7)).toBe(7);
    expect(numericId('7')).toBe(7);
    expect(numericId('07')).toBeUndefined();
  });
});
