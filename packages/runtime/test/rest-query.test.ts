// How each kind of query parameter travels (the REST server and client share it).
import { describe, expect, it } from 'vitest';
import type { TypeDesc } from '../src/descriptor.js';
import { queryEncoding } from '../src/rest-query.js';
import { field } from './contract.js';

const s = (scalar: Extract<TypeDesc, { kind: 'scalar' }>['scalar']): TypeDesc => ({ kind: 'scalar', scalar });

describe('queryEncoding', () => {
  it('sends scalars and enums as plain text, json values as JSON', () => {
    expect(queryEncoding(field('a', s('int64')))).toBe('plain');
    expect(queryEncoding(field('a', { kind: 'enum', name: 'Status' }, { optional: true }))).toBe('plain');
    expect(queryEncoding(field('a', s('json')))).toBe('json');
  });

  it('repeats a required list of plain values, and JSON-encodes an optional or defaulted one', () => {
    const list: TypeDesc = { kind: 'list', element: s('uuid') };
    expect(queryEncoding(field('a', list))).toBe('repeated');
    expect(queryEncoding(field('a', list, { optional: true }))).toBe('json');
    expect(queryEncoding(field('a', list, { default: [] }))).toBe('json');
    expect(queryEncoding(field('a', { kind: 'list', element: { kind: 'list', element: s('string') } }))).toBe('json');
  });

  it('JSON-encodes objects and maps', () => {
    expect(queryEncoding(field('a', { kind: 'object', name: 'Note' }))).toBe('json');
    expect(queryEncoding(field('a', { kind: 'map', value: s('string') }))).toBe('json');
  });
});
