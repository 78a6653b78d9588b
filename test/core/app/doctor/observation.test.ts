import { describe, expect, it } from 'vitest';
import { KEPT_RECORDS, keepNewest } from '../../../../core/app/doctor/observation.js';

describe('a watch keeps the newest records only', () => {
  it('holds at most twice KEPT_RECORDS entries, and always the newest KEPT_RECORDS of them', () => {
    const kept: number[] = [];
    const total = 5 * KEPT_RECORDS + 123;
    for (let index = 0; index < total; index += 1) {
      keepNewest(kept, index);
      expect(kept.length).toBeLessThan(2 * KEPT_RECORDS);
    }
    expect(kept.at(-1)).toBe(total - 1);
    expect(kept.length).toBeGreaterThanOrEqual(KEPT_RECORDS);
    expect(kept.slice(-KEPT_RECORDS)).toEqual(Array.from({ length: KEPT_RECORDS }, (_, i) => total - KEPT_RECORDS + i));
  });
});
