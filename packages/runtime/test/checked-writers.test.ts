// The writers that check a result against the contract in the walk that
// writes it (REST's JSON text, SOAP's element content), held to what they
// replace: the compiled output check (valueCheck) and then the writer without
// checks. Values are drawn in their TS form, near every rule's edge, with
// text XML cannot carry, inherited and odd values, so that most draws break
// one rule or none.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConstraintsDesc, ContractDescriptor, TypeDesc } from '../src/descriptor.js';
import { checkedJsonTextEncoder, encodeJson, jsonTextEncoder } from '../src/json.js';
import { checkedSlotEncoder, slotEncoder, UNENCODABLE } from '../src/soap-codec.js';
import { valueCheck } from '../src/validate.js';
import { contract, field, HIT, SAMPLE } from './contract.js';

const s = (scalar: Extract<TypeDesc, { kind: 'scalar' }>['scalar']): TypeDesc => ({ kind: 'scalar', scalar });
const ID = '123e4567-e89b-12d3-a456-426614174000';

// The sample contract with the names a plain object already has (`constructor`, `__proto__`) as fields, and a union
// whose member has a field named like its discriminator (written through its wire object).
const odd: ContractDescriptor = {
  ...contract,
  types: {
    ...contract.types,
    Odd: {
      kind: 'object',
      name: 'Odd',
      inputName: 'OddInput',
      fields: [
        field('constructor', s('string'), { optional: true }),
        field('__proto__', s('string'), { optional: true }),
        field('toString', { kind: 'object', name: 'Note' }, { optional: true }),
        field('valueOf', s('json'), { optional: true }),
        field('n', s('int32'), { constraints: { max: 5 } }),
      ],
    },
    Tagged: { kind: 'object', name: 'Tagged', inputName: 'TaggedInput', fields: [field('kind', s('string')), field('text', s('string'))] },
    Clash: { kind: 'union', name: 'Clash', discriminator: 'kind', members: [{ type: 'Tagged', tag: 'Tagged', field: 'tagged', proto: 'tagged', number: 1 }] },
  },
};
const ODD: TypeDesc = { kind: 'object', name: 'Odd' };
const CLASH: TypeDesc = { kind: 'union', name: 'Clash' };

const anything = fc.constantFrom<unknown>(
  undefined, null, '', 'a', 'a\u0001b', 'x\uFFFE', 'a\uD800', 0, -0, 1.5, Number.NaN, Infinity, 2147483648, 5n, 2n ** 63n, true,
  new Date(0), new Date(Number.NaN), new Uint8Array([1, 2]), [], ['a'], {}, new Map(), new Map<unknown, unknown>([[1, 'x']]), () => 1,
);
const pick = (values: unknown[]) => fc.oneof({ weight: 30, arbitrary: fc.constant(values[0]) }, { weight: 2, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: anything });
const text = ['Dune', 'a', '', 'abcdef', 'a"b\\\n', '\u2028', '\u{1F600}\u{1F600}', 'a\u0001b', 'x\uFFFE', 'a\uD800'];
const hit = fc.oneof(
  fc.record({ kind: fc.constant('Note'), text: pick(text) }),
  fc.record({ kind: fc.constant('Person'), name: pick(text), age: pick([3, 1.5]) }, { requiredKeys: ['kind'] }),
  fc.record({ kind: fc.constantFrom('Book', 5) }),
);
// Per field: first a value that fits, then values a rule away.
const near: Record<string, unknown[]> = {
  id: [ID, 'x'],
  title: text,
  isbn: ['123', '1234'],
  flag: [true, 'true'],
  count: [1, 10, 11, 1.5],
  big: [5n, 9223372036854775000n, 9223372036854775001n, -(2n ** 63n), 5],
  ratio: [1.5, -0, Number.NaN],
  score: [0.5, 1e21, 0.4],
  price: ['0', '100.50', '100.51', '-1', 'x'],
  blob: [new Uint8Array([0, 1]), new Uint8Array(4), 'AAE='],
  day: ['2024-02-29', '2023-02-29'],
  at: [new Date(Date.UTC(2024, 1, 29, 10)), new Date(Number.NaN), '2024-02-29T10:00:00Z'],
  extra: [{ a: [1, 'x\u0002'] }, null, '\u2028', { a: undefined }, [new Date(0)]],
  status: ['DRAFT', 'DONE', 'GONE'],
  tags: [['ab'], [], ['abcd'], ['a', 'b', 'c'], [1], ['a\u0001'], ['a', undefined]],
  attributes: [new Map([['k', 1n]]), new Map([['__proto__', 2n], ['1', 3n]]), new Map([['k', 'x']]), new Map([['a\u0001', 1n]]), { k: 1n }],
  hit: [{ kind: 'Note', text: 'x' }, { kind: 'Person', name: 'Ann', age: 3 }, { kind: 'Person', age: 3 }, { kind: 'Book' }, { kind: 'Note', text: 'a\u0001' }, 5],
};
// Fitting values in most fields (each optional one present or not), and at times one field replaced by a value a rule
// away or by anything (undefined among them: a required field left out).
const sample = fc
  .tuple(
    fc.record(Object.fromEntries(Object.entries(near).map(([name, values]) => [name, pick(values)])), { requiredKeys: ['id', 'title'] }),
    fc.option(fc.tuple(fc.constantFrom(...Object.keys(near)), fc.oneof(hit, anything)), { freq: 2 }),
  )
  .map(([fields, replaced]) => (replaced ? { ...fields, [replaced[0]]: replaced[1] } : fields));
const oddValue = fc
  .record(
    { constructor: pick(['c', 5]), toString: pick([{ text: 'x' }, { text: 5 }]), valueOf: pick([{ a: 1 }]), n: pick([1, 6]), own: fc.boolean() },
    { requiredKeys: ['own'] },
  )
  .map(({ own, ...fields }) => {
    // Fields defined on the value itself, or inherited from its prototype (which the check counts as absent).
    if (own) return fields;
    const { n, ...inherited } = fields;
    return Object.assign(Object.create(inherited) as object, n === undefined ? {} : { n });
  });

interface Case {
  name: string;
  type: TypeDesc;
  rules?: ConstraintsDesc;
  value: fc.Arbitrary<unknown>;
  contract: ContractDescriptor;
}
const cases: Case[] = [
  { name: 'an object', type: SAMPLE, value: sample, contract },
  { name: 'a union', type: HIT, value: hit, contract },
  { name: 'a list of objects', type: { kind: 'list', element: SAMPLE }, value: fc.oneof(fc.array(sample, { maxLength: 3 }), anything), contract },
  { name: 'a list with rules', type: { kind: 'list', element: s('string') }, rules: { minItems: 1, maxItems: 2, maxLength: 3, pattern: '^[a-z]*$' }, value: fc.oneof(fc.array(pick(['ab', '', 'abcd', 'Ab', 'a\u0001']), { maxLength: 3 }), anything), contract },
  { name: 'a map of objects', type: { kind: 'map', value: SAMPLE }, value: fc.oneof(fc.array(fc.tuple(fc.constantFrom('2', '1', '__proto__', 'k'), sample), { maxLength: 3 }).map((e) => new Map(e)), anything), contract },
  { name: 'a list of lists', type: { kind: 'list', element: { kind: 'list', element: s('int64') } }, value: fc.oneof(fc.array(fc.array(pick([1n, 2n ** 63n]), { maxLength: 2 }), { maxLength: 2 }), anything), contract },
  { name: 'a scalar with rules', type: s('decimal'), rules: { min: '0', max: '100.50' }, value: pick(['0', '100.50', '100.51', '-1']), contract },
  { name: 'an enum', type: { kind: 'enum', name: 'Status' }, value: pick(['DRAFT', 'GONE']), contract },
  { name: 'fields named like Object.prototype members, inherited or own', type: ODD, value: oddValue, contract: odd },
  { name: 'a union written through its wire object', type: CLASH, value: fc.oneof(fc.record({ kind: pick(['Tagged']), text: pick(text) }), anything), contract: odd },
];

/** What the writer answers, or the error it throws. */
function outcome(write: () => unknown): unknown {
  try {
    return { wrote: write() };
  } catch (error) {
    return { threw: String(error) };
  }
}

describe('the checked JSON text writer', () => {
  for (const c of cases) {
    it(`writes what the check and then jsonTextEncoder answer: ${c.name}`, () => {
      const checked = checkedJsonTextEncoder(c.contract, c.type, c.rules);
      const check = valueCheck(c.contract, c.type, 'output', c.rules);
      const write = jsonTextEncoder(c.contract, c.type);
      fc.assert(
        fc.property(c.value, (value) => {
          expect(outcome(() => checked(value))).toEqual(outcome(() => (check(value) ? write(value) : undefined)));
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('refuses what the check refuses even where the plain writer would throw or leave it out', () => {
    const checked = checkedJsonTextEncoder(contract, HIT);
    expect(() => jsonTextEncoder(contract, HIT)({ kind: 'Book' })).toThrow(TypeError);
    expect(checked({ kind: 'Book' })).toBeUndefined();
    expect(checkedJsonTextEncoder(contract, s('json'))(() => 1)).toBeUndefined();
    expect(checkedJsonTextEncoder(contract, SAMPLE)(undefined)).toBeUndefined();
    const book = { id: ID, title: 'Dune', status: 'DONE', tags: ['a'], big: 5n, at: new Date(0), attributes: new Map([['__proto__', 1n]]) };
    expect(checkedJsonTextEncoder(contract, SAMPLE)(book)).toBe(jsonTextEncoder(contract, SAMPLE)(book));
    expect(checkedJsonTextEncoder(contract, SAMPLE)({ ...book, tags: [] })).toBeUndefined();
  });
});

describe('maps written without their wire object', () => {
  // Keys JSON.stringify orders differently (array indices first, numerically) or writes escaped, and values it leaves out.
  const key = fc.constantFrom<unknown>('k', 'a b', '__proto__', 'constructor', '2', '10', '1', '01', '-1', '1.5', '', 'a"\\', '\u2028', 1, undefined);
  const entries = (value: fc.Arbitrary<unknown>) => fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => new Map(pairs));

  it('writes exactly what JSON.stringify writes of the wire object, for any keys and values', () => {
    const maps: [TypeDesc, fc.Arbitrary<unknown>][] = [
      [{ kind: 'map', value: s('json') }, entries(fc.constantFrom<unknown>(1, 'x', null, undefined, () => 1, new Date(0), { a: [1] }))],
      [{ kind: 'map', value: s('int64') }, entries(fc.constantFrom(1n, -(2n ** 63n)))],
      // Objects that keep the rules: what the writers throw on others may come from another field first.
      [{ kind: 'map', value: SAMPLE }, entries(sample.filter(valueCheck(contract, SAMPLE, 'output')))],
    ];
    for (const [type, value] of maps) {
      const write = jsonTextEncoder(contract, type);
      fc.assert(
        fc.property(value, (map) => {
          expect(outcome(() => write(map))).toEqual(outcome(() => JSON.stringify(encodeJson(contract, type, map))));
        }),
        { numRuns: 1000 },
      );
    }
  });
});

describe('the checked SOAP result encoder', () => {
  for (const c of cases) {
    for (const wrapped of [false, true]) {
      it(`encodes what the check and then slotEncoder answer: ${c.name}${wrapped ? ', wrapped' : ''}`, () => {
        const checked = checkedSlotEncoder(c.contract, c.type, wrapped, c.rules);
        const check = valueCheck(c.contract, c.type, 'output', c.rules);
        const encode = slotEncoder(c.contract, c.type, wrapped, 'output');
        fc.assert(
          fc.property(c.value, (value) => {
            expect(outcome(() => checked(value))).toEqual(outcome(() => (check(value) ? encode(value) : UNENCODABLE)));
          }),
          { numRuns: 1000 },
        );
      });
    }
  }
});
