// The contract's value rules as every server checks them: which rule, what
// message and at which path, for inputs and outputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TypeDesc } from '../src/descriptor.js';
import type { Violation } from '../src/errors.js';
import { childPath, collectViolations, isUnencodable, isValidValue, validateFields, validateOperationInput, validateStreamElement, validateValue } from '../src/validate.js';
import { contract, HIT, op, SAMPLE, sampleFields } from './contract.js';

const valid = { title: 'Dune', status: 'DRAFT' };

function check(value: unknown, mode: 'input' | 'output' = 'input', type: TypeDesc = SAMPLE): Violation[] {
  const out: Violation[] = [];
  validateValue(contract, type, value, '', out, mode);
  return out;
}

const one = (path: string, message: string): Violation[] => [{ path, message }];

describe('childPath', () => {
  it('dots identifiers, brackets indexes and quotes other keys', () => {
    expect(childPath('', 'book')).toBe('book');
    expect(childPath('book', 'tags')).toBe('book.tags');
    expect(childPath('book.tags', 2)).toBe('book.tags[2]');
    expect(childPath('attributes', 'a key')).toBe('attributes["a key"]');
    expect(childPath('', '1st')).toBe('["1st"]');
    expect(childPath('m', 'say "hi"')).toBe('m["say \\"hi\\""]');
    expect(childPath('m', '$x_1')).toBe('m.$x_1');
  });
});

describe('strings', () => {
  it('length counts code points, not UTF-16 units', () => {
    expect(check({ ...valid, title: '\u{1F600}\u{1F600}\u{1F600}\u{1F600}\u{1F600}' })).toEqual([]);
    expect(check({ ...valid, title: '\u{1F600}\u{1F600}\u{1F600}\u{1F600}\u{1F600}x' })).toEqual(one('title', 'must be at most 5 characters long'));
    expect(check({ ...valid, title: '' })).toEqual(one('title', 'must be at least 1 characters long'));
  });

  it('patterns are Unicode regular expressions matched against the whole rule', () => {
    expect(check({ ...valid, isbn: '123' })).toEqual([]);
    expect(check({ ...valid, isbn: '1234' })).toEqual(one('isbn', 'must match the pattern ^[0-9]{3}$'));
    // The same pattern checked twice gives the same answer (no shared lastIndex state).
    expect(check({ ...valid, isbn: '12' })).toEqual(one('isbn', 'must match the pattern ^[0-9]{3}$'));
    expect(check({ ...valid, isbn: '12' })).toEqual(one('isbn', 'must match the pattern ^[0-9]{3}$'));
  });

  it('lone surrogates are refused before the other rules', () => {
    expect(check({ ...valid, title: 'a\uD800' })).toEqual(one('title', 'must be well-formed Unicode'));
    expect(check({ ...valid, title: '\uDC00abcdefgh' })).toEqual(one('title', 'must be well-formed Unicode'));
  });

  it('several broken rules of one value are all reported', () => {
    const out: Violation[] = [];
    validateValue(contract, { kind: 'scalar', scalar: 'string' }, 'abcdef', 'x', out, 'input', { maxLength: 2, pattern: '^[0-9]+$' });
    expect(out).toEqual([
      { path: 'x', message: 'must be at most 2 characters long' },
      { path: 'x', message: 'must match the pattern ^[0-9]+$' },
    ]);
  });
});

describe('scalars', () => {
  const cases: [string, unknown, Violation[]][] = [
    ['flag', 'yes', one('flag', 'must be a boolean')],
    ['count', 1.5, one('count', 'must be a 32-bit integer')],
    ['count', 2147483648, one('count', 'must be a 32-bit integer')],
    ['count', 0, one('count', 'must be at least 1')],
    ['count', 11, one('count', 'must be at most 10')],
    ['count', 10, []],
    ['big', 1, one('big', 'must be a 64-bit integer (bigint)')],
    ['big', 2n ** 63n, one('big', 'must be a 64-bit integer (bigint)')],
    ['big', -(2n ** 63n), []],
    ['big', 9223372036854775001n, one('big', 'must be at most 9223372036854775000')],
    ['ratio', Number.NaN, one('ratio', 'must be a finite number')],
    ['ratio', Infinity, one('ratio', 'must be a finite number')],
    ['score', 0.4, one('score', 'must be at least 0.5')],
    ['price', '100.50', []],
    ['price', '100.500000000000000000001', one('price', 'must be at most 100.50')],
    ['price', '-0.00', []],
    ['price', '-0.01', one('price', 'must be at least 0')],
    ['price', '1e2', one('price', 'must be a decimal number')],
    ['price', 1, one('price', 'must be a string')],
    ['blob', new Uint8Array(4), one('blob', 'must be at most 3 bytes long')],
    ['blob', [1, 2], one('blob', 'must be bytes (Uint8Array)')],
    ['blob', Buffer.from([1, 2, 3]), []],
    ['day', '2023-02-29', one('day', 'must be a date (YYYY-MM-DD)')],
    ['day', '2024-02-29', []],
    ['at', new Date(Number.NaN), one('at', 'must be a valid Date')],
    ['at', '2024-01-01T00:00:00Z', one('at', 'must be a valid Date')],
    ['extra', { a: [1, 'x', null] }, []],
    ['extra', { a: undefined }, one('extra', 'must be a JSON value')],
    ['extra', new Map(), one('extra', 'must be a JSON value')],
    ['extra', Number.POSITIVE_INFINITY, one('extra', 'must be a JSON value')],
    ['status', 'DELETED', one('status', 'must be one of DRAFT, DONE')],
  ];
  it.each(cases)('%s = %s', (name, value, expected) => {
    expect(check({ ...valid, [name]: value })).toEqual(expected);
  });

  it('uuids are hyphenated hex of the right lengths', () => {
    const out: Violation[] = [];
    validateFields(contract, sampleFields, { ...valid, id: '123e4567e89b12d3a456426614174000' }, '', out, 'output');
    expect(out).toEqual(one('id', 'must be a UUID'));
  });
});

describe('objects, lists, maps and unions', () => {
  it('requires fields without a default, and in input mode skips read-only ones', () => {
    expect(check({})).toEqual(one('title', 'is required'));
    expect(check({}, 'output')).toEqual([
      { path: 'id', message: 'is required' },
      { path: 'title', message: 'is required' },
    ]);
    expect(check({ ...valid, id: 'not checked in input' })).toEqual([]);
  });

  it('says what it wanted when the value has another shape', () => {
    expect(check(null)).toEqual(one('', 'must be an object'));
    expect(check([])).toEqual(one('', 'must be an object'));
    expect(check(new Map())).toEqual(one('', 'must be an object'));
    expect(check({ ...valid, tags: 'a' })).toEqual(one('tags', 'must be a list'));
    expect(check({ ...valid, attributes: { a: 1n } })).toEqual(one('attributes', 'must be a Map'));
  });

  it('applies item counts to the list and value rules to each element', () => {
    expect(check({ ...valid, tags: [] })).toEqual(one('tags', 'must have at least 1 items'));
    expect(check({ ...valid, tags: ['a', 'b', 'c'] })).toEqual(one('tags', 'must have at most 2 items'));
    expect(check({ ...valid, tags: ['abcd', 1] })).toEqual([
      { path: 'tags[0]', message: 'must be at most 3 characters long' },
      { path: 'tags[1]', message: 'must be a string' },
    ]);
  });

  it('checks map values at their keys, and that keys are strings', () => {
    expect(check({ ...valid, attributes: new Map<unknown, unknown>([['__proto__', 1n], ['a b', 'x'], [1, 2n]]) })).toEqual([
      { path: 'attributes["a b"]', message: 'must be a 64-bit integer (bigint)' },
      { path: 'attributes', message: 'must have string keys' },
    ]);
  });

  it('checks a union value as its member', () => {
    expect(check({ kind: 'Person', name: 'Ann' }, 'input', HIT)).toEqual([]);
    expect(check({ kind: 'Person', name: 'Ann', age: 'x' }, 'input', HIT)).toEqual(one('age', 'must be a 32-bit integer'));
    expect(check({ kind: 'Robot' }, 'input', HIT)).toEqual(one('kind', 'must be one of Note, Person'));
    expect(check({ ...valid, hit: { kind: 'Note' } })).toEqual(one('hit.text', 'is required'));
    expect(check(7, 'input', HIT)).toEqual(one('', 'must be an object'));
  });

  it('builds deep paths', () => {
    const list: TypeDesc = { kind: 'list', element: { kind: 'map', value: SAMPLE } };
    const out: Violation[] = [];
    validateValue(contract, list, [new Map([['x', valid]]), new Map([['y z', { ...valid, tags: ['ok', 5] }]])], 'output', out, 'input');
    expect(out).toEqual(one('output[1]["y z"].tags[1]', 'must be a string'));
  });
});

describe('operations', () => {
  it('checks inline input fields at top-level paths', () => {
    expect(validateOperationInput(contract, op('getSample'), { id: '123e4567-e89b-12d3-a456-426614174000' })).toEqual([]);
    expect(validateOperationInput(contract, op('getSample'), { id: 'x' })).toEqual(one('id', 'must be a UUID'));
    expect(validateOperationInput(contract, op('getSample'), {})).toEqual(one('id', 'is required'));
    expect(validateOperationInput(contract, op('ping'), { anything: 1 })).toEqual([]);
  });

  it('checks a stream element relative to the element', () => {
    expect(validateStreamElement(contract, op('upload'), { text: 'x' })).toEqual([]);
    expect(validateStreamElement(contract, op('upload'), { text: 1 })).toEqual(one('text', 'must be a string'));
    expect(validateStreamElement(contract, op('getSample'), { text: 1 })).toEqual([]);
  });

  it('tells which violations no wire could carry', () => {
    expect(isUnencodable(one('a', 'is required'))).toBe(true);
    expect(isUnencodable(one('a', 'must be one of A, B'))).toBe(true);
    expect(isUnencodable(one('a', 'must be an object'))).toBe(true);
    expect(isUnencodable(one('a', 'must be at most 3 characters long'))).toBe(false);
    expect(isUnencodable([])).toBe(false);
  });
});

describe('the compiled checks', () => {
  // Values near the rules' edges, nested in every type kind, so that most draws break one rule or none.
  const leaf = fc.oneof(
    fc.constantFrom('', 'a', 'abcdef', '123', '\u{1F600}\u{1F600}\u{1F600}\u{1F600}\u{1F600}', 'a\uD800', 'DRAFT', 'DONE', 'Note', 'Person', '2024-02-29', '2023-02-29', '1.5', '-0', '100.51', '123e4567-e89b-12d3-a456-426614174000'),
    fc.constantFrom(0, 1, 10, 11, 0.4, 0.5, 1.5, -1, 2147483648, Number.NaN, Infinity),
    fc.constantFrom(0n, -(2n ** 63n), 2n ** 63n, 9223372036854775001n),
    fc.constantFrom(true, false, null, undefined),
    fc.constantFrom(new Uint8Array(2), new Uint8Array(4), new Date(0), new Date(Number.NaN)),
  );
  const value = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, leaf, tie('list'), tie('map'), tie('record')),
    list: fc.array(tie('any'), { maxLength: 3 }),
    map: fc.array(fc.tuple(fc.constantFrom('k', '__proto__', 'a b'), tie('any')), { maxLength: 2 }).map((entries) => new Map(entries)),
    record: fc.record(
      {
        title: tie('any'), isbn: tie('any'), count: tie('any'), big: tie('any'), price: tie('any'), blob: tie('any'), day: tie('any'), at: tie('any'),
        extra: tie('any'), status: tie('any'), tags: tie('any'), attributes: tie('any'), hit: tie('any'), kind: tie('any'), text: tie('any'), name: tie('any'),
      },
      { requiredKeys: [] },
    ),
  }));
  const types: TypeDesc[] = [SAMPLE, HIT, { kind: 'list', element: SAMPLE }, { kind: 'map', value: { kind: 'scalar', scalar: 'int64' } }];

  it('accept exactly the values the collecting walk finds nothing wrong with', () => {
    fc.assert(
      fc.property(value.any, fc.constantFrom(...types), fc.constantFrom('input' as const, 'output' as const), (v, type, mode) => {
        const violations = collectViolations(contract, type, v, mode);
        expect(isValidValue(contract, type, v, mode)).toBe(violations.length === 0);
        const out: Violation[] = [];
        validateValue(contract, type, v, '', out, mode);
        expect(out).toEqual(violations);
      }),
      { numRuns: 3000 },
    );
  });

  it('are built once per contract and type, not per call', () => {
    const rules = { pattern: '^x+$' };
    const type: TypeDesc = { kind: 'scalar', scalar: 'string' };
    expect(isValidValue(contract, type, 'xx', 'input', rules)).toBe(true);
    let compiledPatterns = 0;
    const Original = globalThis.RegExp;
    globalThis.RegExp = new Proxy(Original, { construct: (target, args) => (compiledPatterns++, Reflect.construct(target, args)) });
    try {
      for (let i = 0; i < 10; i++) expect(isValidValue(contract, type, i % 2 ? 'xx' : 'y', 'input', rules)).toBe(i % 2 === 1);
    } finally {
      globalThis.RegExp = Original;
    }
    expect(compiledPatterns).toBe(0);
  });
});
