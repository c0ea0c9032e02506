// The date-time text every style sends, written by arithmetic: held to
// Date.prototype.toISOString, which it replaced, over the whole range of Date.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../src/values.js';

const FIRST = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const MAX = 8.64e15; // the largest instant a Date holds

describe('formatDateTime', () => {
  it('writes what toISOString writes, for any instant a Date holds', () => {
    const instant = fc.oneof(
      fc.integer({ min: FIRST, max: LAST }),
      fc.integer({ min: -MAX, max: MAX }),
      // Near the ends of days, months, leap days, centuries and the four-digit years.
      fc.tuple(fc.constantFrom(FIRST, LAST, 0, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, -2_203_891_200_000, Date.UTC(2024, 1, 29), Date.UTC(1900, 2, 1)), fc.integer({ min: -2, max: 2 }))
        .map(([at, step]) => at + step),
    );
    fc.assert(
      fc.property(instant, (ms) => {
        const date = new Date(ms);
        expect(formatDateTime(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => formatDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
