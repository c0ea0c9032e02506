// The JSON wire form: every scalar both ways, the edges of each value space,
// maps whose keys are special to JavaScript objects, unions, and the
// violations (paths and messages) decoding reports.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Violation } from '../src/errors.js';
import { decodeFields, decodeJson, encodeFields, encodeJson, inputReader, jsonTextEncoder } from '../src/json.js';
import { validateFields } from '../src/validate.js';
import type { TypeDesc } from '../src/descriptor.js';
import { contract, HIT, SAMPLE, sampleFields } from './contract.js';

const s = (scalar: Extract<TypeDesc, { kind: 'scalar' }>['scalar']): TypeDesc => ({ kind: 'scalar', scalar });

function decode(type: TypeDesc, json: unknown, mode: 'input' | 'output' = 'output'): { value: unknown; violations: Violation[] } {
  const violations: Violation[] = [];
  const value = decodeJson(contract, type, json, '', violations, mode);
  return { value, violations };
}

describe('scalars', () => {
  const roundTrips: [TypeDesc, unknown, unknown][] = [
    [s('string'), 'a "quoted" <x> & \u{1F600}', 'a "quoted" <x> & \u{1F600}'],
    [s('string'), '', ''],
    [s('boolean'), false, false],
    [s('int32'), -2147483648, -2147483648],
    [s('int32'), 2147483647, 2147483647],
    [s('int64'), -9223372036854775808n, '-9223372036854775808'],
    [s('int64'), 9223372036854775807n, '9223372036854775807'],
    [s('int64'), 0n, '0'],
    [s('float32'), 1.5, 1.5],
    [s('float64'), -0.1, -0.1],
    [s('decimal'), '123456789012345678901234567890.000000000000000000001', '123456789012345678901234567890.000000000000000000001'],
    [s('decimal'), '-0.50', '-0.50'],
    [s('date'), '2024-02-29', '2024-02-29'],
    [s('uuid'), '123e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-12d3-a456-426614174000'],
    [s('json'), { a: [1, null, { b: 'c' }] }, { a: [1, null, { b: 'c' }] }],
    [s('json'), null, null],
  ];
  it.each(roundTrips)('%j: %s encodes and decodes back', (type, value, wire) => {
    expect(encodeJson(contract, type, value)).toEqual(wire);
    const back = decode(type, wire);
    expect(back.violations).toEqual([]);
    expect(back.value).toEqual(value);
  });

  it('bytes are standard padded base64, every byte value included', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const wire = encodeJson(contract, s('bytes'), bytes);
    expect(wire).toBe(Buffer.from(bytes).toString('base64'));
    const back = decode(s('bytes'), wire);
    expect(back.violations).toEqual([]);
    expect(back.value).toEqual(bytes);
    expect(encodeJson(contract, s('bytes'), new Uint8Array([0xff]))).toBe('/w==');
    // A view into a larger buffer encodes only its own bytes.
    expect(encodeJson(contract, s('bytes'), new Uint8Array([1, 2, 3, 4]).subarray(1, 3))).toBe('AgM=');
  });

  it('refuses base64 that is unpadded, URL-safe or has stray characters', () => {
    for (const text of ['/w', '_w==', 'AA=A', 'A A=', 'AAA']) {
      expect(decode(s('bytes'), text).violations, text).toEqual([{ path: '', message: 'must be standard padded base64' }]);
    }
    expect(decode(s('bytes'), 12).violations).toEqual([{ path: '', message: 'must be a base64 string' }]);
  });

  it('datetimes are sent in UTC with milliseconds and read with any offset', () => {
    const at = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7));
    expect(encodeJson(contract, s('datetime'), at)).toBe('2024-02-29T23:59:58.007Z');
    const offset = decode(s('datetime'), '2024-03-01T01:59:58.007+02:00');
    expect(offset.violations).toEqual([]);
    expect((offset.value as Date).getTime()).toBe(at.getTime());
    // Digits past milliseconds are cut, not rounded.
    expect((decode(s('datetime'), '2024-02-29T23:59:58.0079999Z').value as Date).getTime()).toBe(at.getTime());
    for (const text of ['2024-02-29T23:59:58', '2023-02-29T00:00:00Z', '2024-02-29 23:59:58Z', '2024-02-29T24:00:00Z']) {
      expect(decode(s('datetime'), text).violations, text).toEqual([{ path: '', message: 'must be an RFC 3339 date-time with an offset' }]);
    }
  });

  it('int64 travels as a string of digits and stays within 64 bits', () => {
    expect(decode(s('int64'), '9223372036854775808').violations).toEqual([{ path: '', message: 'must be a 64-bit integer' }]);
    expect(decode(s('int64'), '-9223372036854775809').violations).toEqual([{ path: '', message: 'must be a 64-bit integer' }]);
    expect(decode(s('int64'), '1e3').violations).toEqual([{ path: '', message: 'must be a 64-bit integer' }]);
    expect(decode(s('int64'), ' 1').violations).toEqual([{ path: '', message: 'must be a 64-bit integer' }]);
    expect(decode(s('int64'), 12).violations).toEqual([{ path: '', message: 'must be a string of digits (int64)' }]);
    expect(decode(s('int64'), '-0').value).toBe(0n);
  });

  it('numbers, booleans and strings are not converted from other JSON types', () => {
    expect(decode(s('int32'), '1').violations).toEqual([{ path: '', message: 'must be a number' }]);
    expect(decode(s('boolean'), 'true').violations).toEqual([{ path: '', message: 'must be a boolean' }]);
    expect(decode(s('string'), 1).violations).toEqual([{ path: '', message: 'must be a string' }]);
    expect(decode(s('decimal'), 1.5).violations).toEqual([{ path: '', message: 'must be a string' }]);
  });
});

describe('maps', () => {
  const map: TypeDesc = { kind: 'map', value: s('int64') };

  it('keys special to JavaScript objects are ordinary keys both ways', () => {
    const value = new Map<string, bigint>([
      ['__proto__', 1n],
      ['constructor', 2n],
      ['toString', 3n],
      ['', 4n],
      ['a.b', 5n],
    ]);
    const wire = encodeJson(contract, map, value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
    expect(Object.keys(wire)).toEqual(['__proto__', 'constructor', 'toString', '', 'a.b']);
    const text = JSON.stringify(wire);
    expect(text).toBe('{"__proto__":"1","constructor":"2","toString":"3","":"4","a.b":"5"}');
    const back = decode(map, JSON.parse(text));
    expect(back.violations).toEqual([]);
    expect(back.value).toEqual(value);
  });

  it('reports a bad value at its key, quoted when it is not an identifier', () => {
    const back = decode(map, JSON.parse('{"ok":"1","__proto__":2,"a key":"x"}'));
    expect(back.violations).toEqual([
      { path: '__proto__', message: 'must be a string of digits (int64)' },
      { path: '["a key"]', message: 'must be a 64-bit integer' },
    ]);
    expect(decode(map, [1]).violations).toEqual([{ path: '', message: 'must be an object' }]);
  });
});

describe('objects', () => {
  const full = {
    id: '123e4567-e89b-12d3-a456-426614174000',
    title: 'Dune',
    flag: true,
    count: 3,
    big: -9223372036854775808n,
    price: '9.99',
    blob: new Uint8Array([1, 2]),
    day: '2000-01-01',
    at: new Date(Date.UTC(2000, 0, 1)),
    extra: { n: 1 },
    status: 'DONE',
    tags: ['a'],
    attributes: new Map([['k', 1n]]),
    hit: { kind: 'Person', name: 'Ann', age: 40 },
  };
  const wire = {
    id: '123e4567-e89b-12d3-a456-426614174000',
    title: 'Dune',
    flag: true,
    count: 3,
    big: '-9223372036854775808',
    price: '9.99',
    blob: 'AQI=',
    day: '2000-01-01',
    at: '2000-01-01T00:00:00.000Z',
    extra: { n: 1 },
    status: 'DONE',
    tags: ['a'],
    attributes: { k: '1' },
    hit: { kind: 'Person', name: 'Ann', age: 40 },
  };

  it('encode leaves out absent fields and writes the rest in field order', () => {
    const encoded = encodeJson(contract, SAMPLE, full);
    expect(encoded).toEqual(wire);
    expect(JSON.stringify(encoded)).toBe(JSON.stringify(wire));
    expect(encodeJson(contract, SAMPLE, { title: 'x', status: 'DRAFT', flag: undefined })).toEqual({ title: 'x', status: 'DRAFT' });
  });

  it('decodes the output form with read-only fields, and the input form without them', () => {
    expect(decode(SAMPLE, wire).value).toEqual(full);
    const input = decode(SAMPLE, wire, 'input');
    expect(input.violations).toEqual([]);
    expect(input.value).not.toHaveProperty('id');
  });

  it('gives an absent input field its default, and refuses null like any wrong type (one null rule in every JSON style)', () => {
    const input = decode(SAMPLE, { title: 'x' }, 'input');
    expect(input.violations).toEqual([]);
    expect(input.value).toEqual({ title: 'x', status: 'DRAFT' });
    expect(decode(SAMPLE, { title: 'x', flag: null }, 'input').violations.map((v) => v.path)).toEqual(['flag']);
    expect(decode(SAMPLE, { title: 'x', status: null }, 'input').violations.map((v) => v.path)).toEqual(['status']);
    // In output mode a default is no excuse: the field is required.
    expect(decode(SAMPLE, { id: '123e4567-e89b-12d3-a456-426614174000', title: 'x' }).violations).toEqual([{ path: 'status', message: 'is required' }]);
  });

  it('keeps a JSON null of a json field', () => {
    expect(decode(SAMPLE, { title: 'x', extra: null }, 'input').value).toEqual({ title: 'x', extra: null, status: 'DRAFT' });
  });

  it('ignores unknown and inherited properties and reports paths of nested problems', () => {
    const json = JSON.parse('{"title":1,"tags":["a",2],"attributes":{"x y":true},"hit":{"kind":"Note"},"__proto__":{"status":"DONE"}}');
    const result = decode(SAMPLE, json, 'input');
    expect(result.violations).toEqual([
      { path: 'title', message: 'must be a string' },
      { path: 'tags[1]', message: 'must be a string' },
      { path: 'attributes["x y"]', message: 'must be a string of digits (int64)' },
      { path: 'hit.text', message: 'is required' },
    ]);
    expect(decodeFields(contract, sampleFields, 'x', 'book', [], 'input')).toEqual({});
    const out: Violation[] = [];
    decodeFields(contract, sampleFields, [], 'book', out, 'input');
    expect(out).toEqual([{ path: 'book', message: 'must be an object' }]);
  });

  it('encodeFields writes only the listed fields', () => {
    expect(encodeFields(contract, sampleFields.slice(1, 2), full)).toEqual({ title: 'Dune' });
  });
});

describe('unions', () => {
  it('carry the discriminator first and the member fields after it', () => {
    const encoded = encodeJson(contract, HIT, { name: 'Ann', kind: 'Person' });
    expect(JSON.stringify(encoded)).toBe('{"kind":"Person","name":"Ann"}');
    expect(decode(HIT, { kind: 'Note', text: 'hi', name: 'ignored' }).value).toEqual({ kind: 'Note', text: 'hi' });
  });

  it('name the members when the discriminator is unknown or absent', () => {
    expect(decode(HIT, { kind: 'Book' }).violations).toEqual([{ path: 'kind', message: 'must be one of Note, Person' }]);
    expect(decode(HIT, {}).violations).toEqual([{ path: 'kind', message: 'must be one of Note, Person' }]);
    expect(decode(HIT, 'Note').violations).toEqual([{ path: '', message: 'must be an object' }]);
    expect(() => encodeJson(contract, HIT, { kind: 'Book' })).toThrow(TypeError);
  });
});

describe('lists', () => {
  it('map each element, and report a non-list', () => {
    const list: TypeDesc = { kind: 'list', element: { kind: 'list', element: s('int64') } };
    expect(encodeJson(contract, list, [[1n], [], [2n, 3n]])).toEqual([['1'], [], ['2', '3']]);
    expect(decode(list, [['1'], ['x']]).violations).toEqual([{ path: '[1][0]', message: 'must be a 64-bit integer' }]);
    expect(decode(list, { 0: [] }).violations).toEqual([{ path: '', message: 'must be a list' }]);
  });
});

describe('the one-walk input reader', () => {
  // JSON values near the rules' edges (as the wire brings them), nested in every kind, so that most draws break one
  // rule of decoding or of validation, or none.
  const leaf = fc.oneof(
    fc.constantFrom('', 'a', 'abcdef', '123', '\u{1F600}\u{1F600}\u{1F600}\u{1F600}\u{1F600}', 'a\uD800', 'DRAFT', 'DONE', 'Note', 'Person'),
    fc.constantFrom('2024-02-29', '2023-02-29', '2024-02-29T10:00:00Z', '2024-02-30T10:00:00Z', '1.5', '-0', '100.51', '9223372036854775807', '9223372036854775808'),
    fc.constantFrom('123e4567-e89b-12d3-a456-426614174000', 'AAE=', 'AAECAw==', 'AA='),
    fc.constantFrom(0, 1, 10, 11, 0.4, 0.5, 1.5, -1, 2147483648),
    fc.constantFrom(true, false, null),
  );
  const json = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, leaf, tie('list'), tie('object')),
    list: fc.array(tie('any'), { maxLength: 3 }),
    object: fc.dictionary(fc.constantFrom('k', '__proto__', 'a b'), tie('any'), { maxKeys: 2 }),
  }));
  // Per field, values that fit it and values one rule away; then at most one field replaced by anything at all.
  const near: Record<string, unknown[]> = {
    id: ['123e4567-e89b-12d3-a456-426614174000'], title: ['Dune', 'a', '', 'abcdef'], isbn: ['123', '1234'], flag: [true, 'true'],
    count: [1, 10, 11, 1.5], big: ['-9223372036854775808', '9223372036854775000', '9223372036854775001', 5], ratio: [1.5, '1.5'],
    score: [0.5, 0.4], price: ['0', '100.50', '-1', 'x'], blob: ['AAE=', 'AAECAw==', 'AA='], day: ['2024-02-29', '2023-02-29'],
    at: ['2024-02-29T10:00:00Z', '2024-02-29T10:00:00'], extra: [{ a: [1] }, null], status: ['DRAFT', 'DONE', 'GONE'],
    tags: [['ab'], [], ['abcd'], ['a', 'b', 'c'], [1]], attributes: [{ k: '1' }, JSON.parse('{"__proto__":"2"}'), { k: 'x' }, []],
    hit: [{ kind: 'Note', text: 'x' }, { kind: 'Person', name: 'Ann', age: 3 }, { kind: 'Person', age: 3 }, { kind: 'Book' }],
  };
  // Mostly the first (fitting) value, so that a draw often breaks no rule or exactly one.
  const pick = (values: unknown[]) => fc.oneof({ weight: 4, arbitrary: fc.constant(values[0]) }, { weight: 1, arbitrary: fc.constantFrom(...values) });
  const fitting = fc.record(Object.fromEntries(Object.entries(near).map(([name, values]) => [name, pick(values)])), { requiredKeys: [] });
  const record = fc
    .tuple(fitting, fc.option(fc.tuple(fc.constantFrom(...Object.keys(near), 'title'), json.any)))
    .map(([fields, replaced]) => (replaced ? { ...fields, [replaced[0]]: replaced[1] } : fields));

  it('accepts exactly what decoding and then validation accept, with the same value', () => {
    const read = inputReader(contract, sampleFields);
    fc.assert(
      fc.property(record, (wire) => {
        const violations: Violation[] = [];
        const decoded = decodeFields(contract, sampleFields, wire, '', violations, 'input');
        if (violations.length === 0) validateFields(contract, sampleFields, decoded, '', violations, 'input');
        const value = read(wire);
        expect(value === undefined).toBe(violations.length > 0);
        if (value !== undefined) expect(value).toEqual(decoded);
      }),
      { numRuns: 3000 },
    );
  });

  it('applies defaults, drops read-only fields and refuses what is not an object', () => {
    const read = inputReader(contract, sampleFields);
    expect(read({ id: 'x', title: 'Dune' })).toEqual({ title: 'Dune', status: 'DRAFT' });
    expect(read({ title: 'Dune', status: 'GONE' })).toBeUndefined();
    expect(read({ title: 'Dune', tags: [] })).toBeUndefined();
    expect(read([])).toBeUndefined();
    expect(read(null)).toBeUndefined();
  });
});

describe('the compiled JSON text writer', () => {
  const wireValue = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, fc.constantFrom('x', 'a"b\\', '\u2028', 'a\uD800', 1, -0, 1e21, true, null), tie('list'), tie('object')),
    list: fc.array(tie('any'), { maxLength: 3 }),
    object: fc.dictionary(fc.constantFrom('k', '__proto__', '2', '1', 'a b'), tie('any'), { maxKeys: 3 }),
  }));
  const sample = fc.record(
    {
      id: fc.constant('123e4567-e89b-12d3-a456-426614174000'), title: fc.constantFrom('Dune', 'a"\\\n', '\u{1F600}'), flag: fc.boolean(),
      count: fc.constantFrom(1, 10), big: fc.constantFrom('-9223372036854775808', '42'), ratio: fc.constantFrom(1.5, -0), score: fc.constantFrom(0.5, 1e21),
      price: fc.constantFrom('0', '100.50'), blob: fc.constantFrom('AAE=', ''), day: fc.constant('2024-02-29'), at: fc.constantFrom('2024-02-29T10:00:00+01:00'),
      extra: wireValue.any, status: fc.constantFrom('DRAFT', 'DONE'), tags: fc.array(fc.constantFrom('a', 'b"'), { maxLength: 3 }),
      attributes: fc.dictionary(fc.constantFrom('k', '__proto__', '2', '10', '1', 'a b'), fc.constantFrom('1', '-2'), { maxKeys: 4 }),
      hit: fc.oneof(fc.record({ kind: fc.constant('Note'), text: fc.constant('x') }), fc.record({ kind: fc.constant('Person'), name: fc.constant('Ann'), age: fc.constant(3) }, { requiredKeys: ['kind', 'name'] })),
    },
    { requiredKeys: ['id', 'title', 'status'] },
  );
  const types: TypeDesc[] = [SAMPLE, HIT, { kind: 'list', element: SAMPLE }, { kind: 'map', value: SAMPLE }, { kind: 'list', element: { kind: 'scalar', scalar: 'json' } }];

  it('writes exactly what JSON.stringify writes of the wire object', () => {
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.array(sample, { minLength: 1, maxLength: 3 }), wireValue.list, (type, samples, json) => {
        const wire =
          type === SAMPLE ? samples[0] : type === HIT ? samples[0]!.hit ?? { kind: 'Note', text: 'x' } : type.kind === 'map' ? Object.fromEntries(samples.map((v, i) => [String(2 - i), v])) : type.kind === 'list' && type.element === SAMPLE ? samples : json;
        const violations: Violation[] = [];
        const value = decodeJson(contract, type, wire, '', violations, 'output');
        expect(violations).toEqual([]);
        expect(jsonTextEncoder(contract, type)(value)).toBe(JSON.stringify(encodeJson(contract, type, value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out what JSON.stringify leaves out, and writes null for it in a list', () => {
    const list: TypeDesc = { kind: 'list', element: s('json') };
    const odd = [undefined, () => 1, new Date(0), 'x'];
    expect(jsonTextEncoder(contract, list)(odd)).toBe(JSON.stringify(encodeJson(contract, list, odd)));
    const withOdd = { id: 'i', title: 'Dune', status: 'DRAFT', extra: () => 1 };
    expect(jsonTextEncoder(contract, SAMPLE)(withOdd)).toBe(JSON.stringify(encodeJson(contract, SAMPLE, withOdd)));
    const unchecked = { id: 'i', title: 'a\u2028b\uD800', status: 'DRAFT', ratio: Number.NaN, score: -Infinity, count: -0, flag: false };
    expect(jsonTextEncoder(contract, SAMPLE)(unchecked)).toBe(JSON.stringify(encodeJson(contract, SAMPLE, unchecked)));
    expect(() => jsonTextEncoder(contract, HIT)({ kind: 'Book' })).toThrow(TypeError);
  });
});
