// Issue 11: contracts whose names come from every target's reserved words
// (GraphQL's built-in scalars and root types, apigen's own scalars, proto
// keywords and well-known names, XML's `xml` prefix, problem+json members,
// JavaScript globals), in mixed-case forms, load without a name error and
// every spec target emits documents its community's tools accept. Error
// fields named like problem members travel in `fields`; int64 and decimal
// defaults and bounds sit at and beyond 2^53.
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createError, type ContractDescriptor, type ErrorClass } from 'apigen-runtime';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadContractSource } from '../../src/contract/index.js';
import { toSnakeCase } from '../../src/contract/names.js';
import { generate } from '../../src/generate.js';
import { graphqlAdapter } from '../conformance/adapters/graphql.js';
import { Script, scriptedService } from '../conformance/scripted-service.js';
import { generateTypescript } from '../typescript/generated.js';
import { emitSpecs, judgeSpecs } from './spec-validators.js';

const SPEC_TARGETS = ['openapi', 'asyncapi', 'graphql', 'proto', 'wsdl'];

const TYPE_NAMES = [
  'String', 'Int', 'Float', 'Boolean', 'ID', 'Int64', 'Decimal', 'Date', 'DateTime', 'UUID', 'Bytes', 'JSON',
  'Query', 'Mutation', 'Subscription', 'Object', 'Record', 'Map', 'Promise', 'Error', 'Symbol', 'Timestamp', 'Value',
  'Struct', 'Any', 'Empty', 'Duration', 'XmlDoc', 'XMLThing', 'Xml', 'Message', 'Enum', 'Service', 'STRING', 'QUERY', 'JSon',
];
const FIELD_NAMES = [
  'status', 'type', 'title', 'detail', 'instance', 'code', 'error', 'fields', 'xmlns', 'xml', 'xmlData', 'xMLns', 'message',
  'enum', 'option', 'package', 'import', 'syntax', 'reserved', 'optional', 'repeated', 'map', 'oneof', 'service', 'rpc',
  'returns', 'stream', 'class', 'default', 'delete', 'new', 'query', 'mutation', 'subscription', 'string', 'int', 'true',
  'false', 'null', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'sTATUS', 'typename', 'id',
];
const ENUM_VALUES = ['UNSPECIFIED', 'ZERO_UNSPECIFIED', 'TRUE', 'FALSE', 'NULL', 'XML', 'XML_NS', 'DRAFT'];
const OPERATION_NAMES = ['import', 'delete', 'query', 'xmlImport', 'status', 'default', 'new', 'string', 'type', 'error', 'valueOf'];
const ERROR_NAMES = ['Status', 'Type', 'Object', 'Record', 'XmlBroken', 'Query', 'String', 'Symbol'];
const BIG_INTS = ['9007199254740992', '9007199254740993', '-9007199254740993', '9223372036854775807', '-9223372036854775808', '18014398509481985'];
const DECIMALS = ['12.50', '0.1000000000000000000000001', '9007199254740993.5', '-0.00000000000000000001', '123456789012345678901234567890'];

/** Names distinct in every target's form (proto snake_case is the coarsest). */
const distinct = (pool: string[], min: number, max: number) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: min, maxLength: max, selector: (n) => toSnakeCase(n) });

const contractArb = fc
  .record({
    types: distinct(TYPE_NAMES, 2, 5),
    fields: distinct(FIELD_NAMES, 1, 6),
    values: distinct(ENUM_VALUES, 1, 4),
    ops: distinct(OPERATION_NAMES, 1, 3),
    error: fc.constantFrom(...ERROR_NAMES),
    errorFields: distinct(['status', 'type', 'title', 'detail', 'instance', 'code', 'error', 'fields'], 1, 8),
    big: fc.constantFrom(...BIG_INTS),
    decimal: fc.constantFrom(...DECIMALS),
  })
  .filter((c) => !c.types.some((t) => t.toLowerCase() === c.error.toLowerCase()));

type Drawn = typeof contractArb extends fc.Arbitrary<infer T> ? T : never;

function contractText(c: Drawn): string {
  const [objectName = 'Thing', enumName = 'Kind', ...more] = c.types;
  const lines = ['apigen: 1', 'service: { name: Reserved, version: 1.0.0, package: reserved.v1 }', 'auth:', '  schemes: { token: { type: bearer } }', '  default: [token]', 'types:'];
  lines.push(`  ${objectName}:`, '    fields:');
  for (const f of c.fields as string[]) lines.push(`      ${f}: string`);
  lines.push(`      big: { type: int64, default: ${c.big}, min: ${minOf(c.big as string)}, max: 9223372036854775807 }`);
  lines.push(`      amount: { type: decimal, default: ${c.decimal}, min: -1e30, max: 1e40 }`);
  lines.push(`      kind: ${enumName}?`);
  for (const extra of more) lines.push(`      list${extra.charAt(0).toUpperCase()}${extra.slice(1).toLowerCase()}: ${extra}[]`);
  lines.push(`  ${enumName}:`, `    enum: [${(c.values as string[]).join(', ')}]`);
  for (const extra of more) lines.push(`  ${extra}:`, '    fields:', '      note: string?', `      when: datetime?`);
  lines.push('errors:', `  ${c.error}:`, '    code: FAILED_PRECONDITION', '    fields:');
  for (const f of c.errorFields as string[]) lines.push(`      ${f}: string`);
  lines.push('operations:');
  (c.ops as string[]).forEach((op, i) => {
    lines.push(`  ${op}:`, `    input: { thing: ${objectName} }`, `    output: ${objectName}`, `    errors: [${c.error}]`);
    if (i === 0) lines.push(`    kind: mutation`);
  });
  lines.push(`  watch${objectName.charAt(0).toUpperCase()}${objectName.slice(1).toLowerCase()}:`, `    input: { id: string }`, `    output: stream<${objectName}>`);
  lines.push('events:', `  changed:`, `    payload: ${objectName}`, `    key: big`);
  return lines.join('\n') + '\n';
}

/** A bound at or below the default, exact beyond 2^53. */
function minOf(value: string): string {
  return (BigInt(value) - 1n < -(2n ** 63n) ? -(2n ** 63n) : BigInt(value) - 1n).toString();
}

describe('names from every target’s reserved list', () => {
  it('load without name errors, and every spec target passes its validators', async () => {
    await fc.assert(
      fc.asyncProperty(contractArb, async (c) => {
        const source = contractText(c);
        const result = loadContractSource({ file: '/virtual/reserved.yaml', source, lockSource: null, targets: SPEC_TARGETS });
        const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col} ${d.code}: ${d.message}`);
        expect(errors, source).toEqual([]);
        const specs = await emitSpecs(result.model!);
        expect(await judgeSpecs(specs), source).toEqual([]);
        // The escapes, where a name cannot be kept: GraphQL built-in scalar names, apigen's own roots and scalars.
        const schema = buildSchema(specs.graphql);
        for (const t of result.model!.types) expect(schema.getType(t.names.graphql), t.name).toBeTruthy();
        if ((c.values as string[]).includes('UNSPECIFIED')) expect(specs.proto.content).toMatch(/_ZERO_UNSPECIFIED = 0;/);
        // Exact numbers reach the specs digit for digit.
        expect(specs.openapi).toContain(`default: '${c.big}'`);
      }),
      { numRuns: 12, seed: 20261204 },
    );
  }, 600_000);

  it('keeps a contract type named like a GraphQL root or scalar; generated server and client agree on the escapes', async () => {
    const source = [
      'apigen: 1',
      'service: { name: Shop, version: 1.0.0, package: shop.v1 }',
      'types:',
      '  Query: { fields: { text: string, at: Date } }',
      '  Date: { fields: { day: date, big: int64 } }',
      '  String: { fields: { s: string } }',
      '  Hit: { union: [Query, String] }',
      'errors:',
      '  Conflict: { code: FAILED_PRECONDITION, fields: { status: string, code: int32, error: string, type: string } }',
      'operations:',
      '  find: { kind: query, input: { q: Query }, output: Hit, errors: [Conflict] }',
      '',
    ].join('\n');
    const result = loadContractSource({ file: '/virtual/shop.yaml', source, lockSource: null });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const specs = await emitSpecs(result.model!);
    expect(specs.graphql).toContain('schema {\n  query: Query_\n}');
    expect(specs.graphql).toContain('scalar Date_');
    expect(specs.graphql).toContain('type String_ {');
    expect(specs.graphql).toContain('union Hit = Query | String_');
    expect(await judgeSpecs(specs)).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'apigen-names-'));
    writeFileSync(join(dir, 'shop.yaml'), source);
    const generated = await generateTypescript('shop', dir);
    const script = new Script();
    const { contract } = (await import(join(generated, 'contract.ts'))) as { contract: ContractDescriptor };
    const { errorClasses } = (await import(join(generated, 'errors.ts'))) as { errorClasses: Record<string, ErrorClass> };
    const running = await graphqlAdapter.start(generated, 'shop', scriptedService(contract, script), {}, undefined);
    try {
      const input = { q: { text: 't', at: { day: '2024-02-29', big: 9007199254740993n } } };
      script.next('find', { output: { type: 'String', s: 'x' } });
      expect(await running.client.find!(input)).toEqual({ type: 'String', s: 'x' });
      expect(script.last('find')?.input).toEqual(input);
      script.next('find', { output: { type: 'Query', text: 'q', at: { day: '2024-03-01', big: -1n } } });
      expect(await running.client.find!(input)).toEqual({ type: 'Query', text: 'q', at: { day: '2024-03-01', big: -1n } });
      // An error's fields named like GraphQL's extension members travel in extensions.fields.
      const fields = { status: 'HELD', code: 7, error: 'e', type: 't' };
      script.next('find', { throw: createError(errorClasses.Conflict!, 'held', fields) });
      const thrown = await (running.client.find!(input) as Promise<unknown>).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(errorClasses.Conflict!);
      expect((thrown as { fields: unknown }).fields).toEqual(fields);
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('checks names only for the targets being generated', () => {
    // `close` is a member of every generated TypeScript client, so only the typescript target refuses it.
    const source = ['apigen: 1', 'service: { name: Shop, version: 1.0.0, package: shop.v1 }', 'operations:', '  close: { input: { id: string } }', ''].join('\n');
    const all = loadContractSource({ file: '/virtual/shop.yaml', source, lockSource: null });
    expect(all.diagnostics.map((d) => d.code)).toContain('name-reserved');
    const specsOnly = loadContractSource({ file: '/virtual/shop.yaml', source, lockSource: null, targets: ['openapi'] });
    expect(specsOnly.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('generate --only openapi succeeds for a contract only another target refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apigen-only-'));
    try {
      writeFileSync(join(dir, 'shop.yaml'), ['apigen: 1', 'service: { name: Shop, version: 1.0.0, package: shop.v1 }', 'operations:', '  close: { input: { id: string } }', ''].join('\n'));
      const only = await generate({ contracts: [join(dir, 'shop.yaml')], out: join(dir, 'out'), only: ['openapi'], cwd: dir });
      expect(only.status).toBe('ok');
      expect(existsSync(join(dir, 'out/shop/openapi/openapi.yaml'))).toBe(true);
      const all = await generate({ contracts: [join(dir, 'shop.yaml')], out: join(dir, 'all'), cwd: dir });
      expect(all.status).toBe('contract-error');
      expect(all.diagnostics.map((d) => d.code)).toContain('name-reserved');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
