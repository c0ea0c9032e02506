// The SOAP server's compiled result encoder against the walks it replaces:
// the same element content as encodeSlot, and UNENCODABLE exactly where
// findUnwritableText finds text XML 1.0 cannot carry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TypeDesc } from '../src/descriptor.js';
import type { Violation } from '../src/errors.js';
import { decodeJson } from '../src/json.js';
import { encodeSlot, findUnwritableText, slotEncoder, UNENCODABLE } from '../src/soap-codec.js';
import { contract, field, HIT, SAMPLE } from './contract.js';

describe('the compiled SOAP result encoder', () => {
  const text = fc.constantFrom('Dune', 'a', '', 'a\u0001b', 'x\uFFFE', '\u{1F600}', 'k');
  const near: Record<string, fc.Arbitrary<unknown>> = {
    title: text,
    isbn: fc.constantFrom('123'),
    flag: fc.boolean(),
    count: fc.constantFrom(1, 10),
    big: fc.constantFrom('-9223372036854775808', '42'),
    ratio: fc.constantFrom(1.5, 0),
    score: fc.constantFrom(0.5, 1e21),
    price: fc.constantFrom('0', '100.50'),
    blob: fc.constantFrom('AAE=', ''),
    day: fc.constantFrom('2024-02-29'),
    at: fc.constantFrom('2024-02-29T10:00:00Z'),
    extra: fc.constantFrom({ a: [1] }, null, 'x\u0002'),
    status: fc.constantFrom('DRAFT', 'DONE'),
    tags: fc.array(text, { maxLength: 3 }),
    attributes: fc.dictionary(text, fc.constantFrom('1', '2'), { maxKeys: 3 }),
    hit: fc.oneof(fc.record({ kind: fc.constant('Note'), text }), fc.record({ kind: fc.constant('Person'), name: text }, { requiredKeys: ['kind', 'name'] })),
  };
  // Output values in their TS form, from the JSON wire (output mode keeps read-only fields and applies no default).
  const sample = fc.record(near, { requiredKeys: ['title', 'status'] }).chain((wire) => {
    const violations: Violation[] = [];
    const value = decodeJson(contract, SAMPLE, { id: '123e4567-e89b-12d3-a456-426614174000', ...wire }, '', violations, 'output');
    return violations.length === 0 ? fc.constant(value) : fc.constant(undefined);
  });
  const cases: [TypeDesc, boolean][] = [
    [SAMPLE, false],
    [{ kind: 'list', element: SAMPLE }, false],
    [{ kind: 'list', element: SAMPLE }, true],
  ];

  it('writes what encodeSlot writes, and refuses exactly the values with unwritable text', () => {
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 3 }), fc.constantFrom(...cases), (samples, [type, wrapped]) => {
        const values = samples.filter((v) => v !== undefined);
        const value = type.kind === 'list' ? values : values[0];
        if (value === undefined) return;
        const unwritable: Violation[] = [];
        findUnwritableText(contract, type, value, '', unwritable);
        const encoded = slotEncoder(contract, type, wrapped, 'output')(value);
        if (unwritable.length > 0) expect(encoded).toBe(UNENCODABLE);
        else expect(encoded).toEqual(encodeSlot(contract, type, wrapped, value, 'output'));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes an element whose fields are all absent as empty, not as an object (node-soap would write xsi:nil)', () => {
    const withEmpty = {
      ...contract,
      types: { ...contract.types, Empty: { kind: 'object' as const, name: 'Empty', inputName: 'EmptyInput', fields: [field('note', { kind: 'scalar', scalar: 'string' }, { optional: true })] } },
    };
    const type: TypeDesc = { kind: 'object', name: 'Empty' };
    expect(slotEncoder(withEmpty, type, false, 'output')({})).toBe('');
    expect(encodeSlot(withEmpty, type, false, {}, 'output')).toBe('');
    expect(slotEncoder(withEmpty, type, false, 'output')({ note: 'x' })).toEqual({ note: 'x' });
  });

  it('refuses a union value of no member, for encodeSlot to name it', () => {
    expect(slotEncoder(contract, HIT, false, 'output')({ kind: 'Book' })).toBe(UNENCODABLE);
    expect(() => encodeSlot(contract, HIT, false, { kind: 'Book' }, 'output')).toThrow(TypeError);
  });
});
