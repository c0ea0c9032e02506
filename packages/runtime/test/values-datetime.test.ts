// RFC 3339 date-times are parsed by arithmetic: the same instants, and the
// same refusals, as the parse through Date.parse that it replaced (kept here
// as the reference), over texts at the edges of every part.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDate, parseDateTime } from '../src/values.js';

function referenceIsDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function referenceParse(text: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m || !referenceIsDate(m[1]!)) return undefined;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 60) return undefined;
  const fraction = m[5] === undefined ? '' : m[5].slice(0, 4);
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] === '60' ? '59' : m[4]}${fraction}${m[6]!.toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

const two = (values: number[]) => fc.constantFrom(...values.map((n) => String(n).padStart(2, '0')));
const date = fc
  .tuple(fc.constantFrom('0000', '0001', '0004', '0099', '0100', '1900', '1969', '1970', '2000', '2023', '2024', '2100', '9999'), two([0, 1, 2, 3, 11, 12, 13]), two([0, 1, 28, 29, 30, 31, 32]))
  .map(([y, m, d]) => `${y}-${m}-${d}`);
const dateTime = fc
  .tuple(
    date,
    fc.constantFrom('T', 't', ' '),
    two([0, 9, 23, 24]),
    two([0, 59, 60]),
    two([0, 30, 59, 60, 61]),
    fc.constantFrom('', '.', '.5', '.12', '.123', '.1234', '.999999999'),
    fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+05:30', '-12:45', '+23:59', '+24:00', '-00:60', '+1:00', ''),
  )
  .map(([d, t, h, mi, s, f, z]) => `${d}${t}${h}:${mi}:${s}${f}${z}`);

describe('date-time and date parsing', () => {
  it('gives the instant (or the refusal) the Date.parse reading gave', () => {
    fc.assert(
      fc.property(dateTime, (text) => {
        expect(parseDateTime(text)?.getTime(), text).toBe(referenceParse(text)?.getTime());
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the dates the Date.UTC reading took', () => {
    fc.assert(
      fc.property(date, (text) => {
        expect(isDate(text), text).toBe(referenceIsDate(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads offsets, fractions and leap seconds', () => {
    expect(parseDateTime('2024-02-29T10:00:00+05:30')?.toISOString()).toBe('2024-02-29T04:30:00.000Z');
    expect(parseDateTime('1969-12-31T23:59:60.5Z')?.toISOString()).toBe('1969-12-31T23:59:59.500Z');
    expect(parseDateTime('0001-01-01T00:00:00.1239-00:01')?.toISOString()).toBe('0001-01-01T00:01:00.123Z');
    expect(parseDateTime('2023-02-29T00:00:00Z')).toBeUndefined();
  });
});
