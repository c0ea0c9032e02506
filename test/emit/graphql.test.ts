// The GraphQL emitter: every contract's schema.graphql must be valid for
// graphql-js (buildSchema + validateSchema) and print back unchanged; plus
// focused checks of the mappings GraphQL has no direct construct for.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GraphQLArgument, GraphQLField, GraphQLNamedType } from 'graphql';
import {
  buildSchema,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLUnionType,
  printSchema,
  validateSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadContract, loadContractSource } from '../../src/contract/index.js';
import type { Model, SourcePos } from '../../src/contract/model.js';
import { graphqlEmitter } from '../../src/emit/graphql/index.js';
import type { EmitContext } from '../../src/emit/types.js';

const CONTRACTS_DIR = resolve(import.meta.dirname, '../../contracts');
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Warning {
  code: string;
  pos: SourcePos;
  args: Record<string, string>;
}

async function emit(model: Model): Promise<{ sdl: string; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const ctx: EmitContext = { warn: (code, pos, args) => warnings.push({ code, pos, args }), options: {} };
  const files = await graphqlEmitter.emit(model, ctx);
  expect(files.map((f) => f.path)).toEqual(['schema.graphql']);
  return { sdl: files[0]!.content, warnings };
}

async function load(file: string): Promise<Model> {
  const result = await loadContract(file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

/** A small contract around the given YAML sections (types/operations/events/errors). */
async function loadSnippet(body: string): Promise<Model> {
  const source = `apigen: 1\nservice: { name: Snippet, version: 1.0.0, package: snippet.v1 }\n${body}`;
  const result = await loadContractSource({ file: '/virtual/snippet.yaml', source, lockSource: null });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

async function schemaOf(body: string) {
  const { sdl, warnings } = await emit(await loadSnippet(body));
  return { sdl, warnings, schema: buildSchema(sdl) };
}

function objectType(t: GraphQLNamedType | undefined | null): GraphQLObjectType {
  expect(t).toBeInstanceOf(GraphQLObjectType);
  return t as GraphQLObjectType;
}

function inputType(t: GraphQLNamedType | undefined | null): GraphQLInputObjectType {
  expect(t).toBeInstanceOf(GraphQLInputObjectType);
  return t as GraphQLInputObjectType;
}

function arg(field: GraphQLField<unknown, unknown> | undefined, name: string): GraphQLArgument {
  const a = field?.args.find((x) => x.name === name);
  expect(a, `argument ${name}`).toBeDefined();
  return a!;
}

describe.each(contracts)('graphql emitter on %s', (name) => {
  it('emits a schema that graphql-js builds, validates and prints back unchanged', async () => {
    const model = await load(join(CONTRACTS_DIR, name));
    const { sdl } = await emit(model);
    expect(sdl.endsWith('\n')).toBe(true);
    expect(sdl.endsWith('\n\n')).toBe(false);
    const schema = buildSchema(sdl);
    expect(validateSchema(schema).map((e) => e.message)).toEqual([]);
    // The emitter drops printSchema's indentation of blank description lines, nothing else.
    expect(`${printSchema(schema)}\n`.replace(/^[ \t]+$/gm, '')).toBe(sdl);
    expect(sdl).not.toMatch(/[ \t]$/m);
  });

  it('is deterministic', async () => {
    const model = await load(join(CONTRACTS_DIR, name));
    expect((await emit(model)).sdl).toBe((await emit(await load(join(CONTRACTS_DIR, name)))).sdl);
  });

  it('warns once for each operation GraphQL leaves out, and for nothing else', async () => {
    const model = await load(join(CONTRACTS_DIR, name));
    const { warnings } = await emit(model);
    const leftOut = model.operations.filter((op) => op.stream === 'client' || op.stream === 'bidi');
    expect(warnings.map((w) => w.args.name)).toEqual(leftOut.map((op) => op.name));
    for (const w of warnings) {
      expect(w.code).toBe('style-cannot-express');
      expect(w.args.style).toBe('graphql');
      expect(w.args.instead).toMatch(/gRPC|AsyncAPI/);
    }
  });
});

describe('graphql mapping details', () => {
  it('spreads inline input fields into arguments with defaults, and wraps a named input in `input: XInput!`', async () => {
    const { schema } = await schemaOf(`
types:
  Filter: { fields: { text: string?, limit: { type: int32, default: 20 }, big: { type: int64, default: "-9223372036854775808" } } }
operations:
  find: { kind: query, input: { text: string, limit: { type: int32, default: 20, min: 1 }, ids: "uuid[]?" }, output: "string[]" }
  findNamed: { kind: query, input: Filter, output: string }
`);
    const find = schema.getQueryType()!.getFields().find!;
    expect(String(arg(find, 'text').type)).toBe('String!');
    expect(String(arg(find, 'limit').type)).toBe('Int!');
    expect(arg(find, 'limit').defaultValue).toBe(20);
    expect(arg(find, 'limit').description).toContain('`min: 1`');
    expect(String(arg(find, 'ids').type)).toBe('[UUID!]');
    expect(String(find.type)).toBe('[String!]!');
    const named = schema.getQueryType()!.getFields().findNamed!;
    expect(named.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['input: FilterInput!']);
    expect(inputType(schema.getType('FilterInput')).getFields().big!.defaultValue).toBe('-9223372036854775808');
    // Filter is only an input, so it has no output form.
    expect(schema.getType('Filter')).toBeUndefined();
  });

  it('returns Boolean! for an operation without output, and keeps a Query type when there are no queries', async () => {
    const { schema, sdl } = await schemaOf(`
operations:
  reset: {}
`);
    const reset = schema.getMutationType()!.getFields().reset!;
    expect(String(reset.type)).toBe('Boolean!');
    expect(reset.description).toContain('always `true`');
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(['_version']);
    expect(sdl).not.toContain('type Subscription');
  });

  it('maps maps to entry lists that keep the value type, in output and input form', async () => {
    const { schema } = await schemaOf(`
types:
  Shelf: { fields: { id: { type: uuid, readOnly: true }, byTitle: "map<string, Book>", counts: "map<string, map<string, int64>>", labels: "map<string, string[]>?" } }
  Book: { fields: { title: string } }
operations:
  putShelf: { input: { shelf: Shelf }, output: Shelf }
`);
    const shelf = objectType(schema.getType('Shelf')).getFields();
    expect(String(shelf.byTitle!.type)).toBe('[StringBookMapEntry!]!');
    expect(String(shelf.counts!.type)).toBe('[StringStringInt64MapMapEntry!]!');
    expect(String(shelf.labels!.type)).toBe('[StringStringListMapEntry!]');
    const entry = objectType(schema.getType('StringBookMapEntry')).getFields();
    expect(Object.entries(entry).map(([k, f]) => `${k}: ${String(f.type)}`)).toEqual(['key: String!', 'value: Book!']);
    const nested = objectType(schema.getType('StringStringInt64MapMapEntry')).getFields();
    expect(String(nested.value!.type)).toBe('[StringInt64MapEntry!]!');
    const shelfInput = inputType(schema.getType('ShelfInput')).getFields();
    expect(Object.keys(shelfInput)).toEqual(['byTitle', 'counts', 'labels']);
    expect(String(shelfInput.byTitle!.type)).toBe('[StringBookMapEntryInput!]!');
    expect(String(inputType(schema.getType('StringBookMapEntryInput')).getFields().value!.type)).toBe('BookInput!');
    expect(shelf.id!.description).toContain('Read-only');
  });

  it('maps unions to a GraphQL union in output and a @oneOf input object in input', async () => {
    const { schema, sdl } = await schemaOf(`
types:
  Circle: { fields: { radius: float64 } }
  Square: { fields: { side: float64 } }
  Shape: { union: [Circle, Square], discriminator: kind }
operations:
  draw: { input: { shape: Shape, fallback: { type: Shape, default: { kind: Square, side: 2 } } }, output: Shape? }
`);
    const union = schema.getType('Shape');
    expect(union).toBeInstanceOf(GraphQLUnionType);
    expect((union as GraphQLUnionType).getTypes().map((t) => t.name)).toEqual(['Circle', 'Square']);
    expect(union!.description).toContain('`kind`');
    const oneOf = inputType(schema.getType('ShapeInput'));
    expect(oneOf.isOneOf).toBe(true);
    expect(Object.entries(oneOf.getFields()).map(([k, f]) => `${k}: ${String(f.type)}`)).toEqual([
      'circle: CircleInput',
      'square: SquareInput',
    ]);
    expect(sdl).toContain('input ShapeInput @oneOf {');
    const draw = schema.getMutationType()!.getFields().draw!;
    expect(String(draw.type)).toBe('Shape');
    expect(arg(draw, 'fallback').defaultValue).toEqual({ square: { side: 2 } });
  });

  it('carries deprecation with @deprecated, and in the description where GraphQL forbids it (required inputs, types)', async () => {
    const { schema } = await schemaOf(`
types:
  Level: { enum: [LOW, { OLD: { deprecated: use LOW } }] }
  Item:
    deprecated: going away
    fields: { a: { type: string, deprecated: true }, b: { type: string?, deprecated: gone } }
operations:
  getItem: { kind: query, input: { id: { type: string, deprecated: use key }, key: { type: string?, deprecated: soon } }, output: Item, deprecated: true }
  putItem: { input: { item: Item, level: Level }, output: Level }
`);
    const get = schema.getQueryType()!.getFields().getItem!;
    expect(get.deprecationReason).toBe('No longer supported');
    expect(arg(get, 'id').deprecationReason).toBeUndefined();
    expect(arg(get, 'id').description).toContain('Deprecated: use key');
    expect(arg(get, 'key').deprecationReason).toBe('soon');
    const item = objectType(schema.getType('Item'));
    expect(item.description).toContain('Deprecated: going away');
    expect(item.getFields().a!.deprecationReason).toBe('No longer supported');
    const itemInput = inputType(schema.getType('ItemInput')).getFields();
    expect(itemInput.a!.deprecationReason).toBeUndefined();
    expect(itemInput.a!.description).toContain('Deprecated.');
    expect(itemInput.b!.deprecationReason).toBe('gone');
    const level = schema.getType('Level') as import('graphql').GraphQLEnumType;
    expect(level.getValues().map((v) => [v.name, v.deprecationReason])).toEqual([
      ['LOW', undefined],
      ['OLD', 'use LOW'],
    ]);
  });

  it('declares only the custom scalars it uses, with @specifiedBy where a spec exists', async () => {
    const { schema, sdl } = await schemaOf(`
types:
  T: { fields: { a: int64, b: datetime, c: json, d: "json[]", e: int32 } }
operations:
  t: { kind: query, output: T }
`);
    const custom = Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLScalarType => t instanceof GraphQLScalarType && !t.name.startsWith('__'))
      .map((t) => t.name)
      .filter((n) => !['String', 'Boolean', 'Int', 'Float', 'ID'].includes(n));
    expect(custom).toEqual(['Int64', 'DateTime', 'JSON']);
    expect((schema.getType('Int64') as GraphQLScalarType).description).toContain('string');
    expect((schema.getType('Int64') as GraphQLScalarType).specifiedByURL).toBeUndefined();
    expect((schema.getType('DateTime') as GraphQLScalarType).specifiedByURL).toContain('rfc3339');
    expect(sdl).toContain('scalar JSON @specifiedBy(url: "https://ecma-international.org/');
    const t = objectType(schema.getType('T')).getFields();
    // JSON null is a JSON value, so JSON positions stay nullable.
    expect(String(t.c!.type)).toBe('JSON');
    expect(String(t.d!.type)).toBe('[JSON]!');
  });

  it('documents errors and auth in operation descriptions, and declares detail types', async () => {
    const { schema } = await schemaOf(`
auth:
  schemes: { token: { type: bearer }, key: { type: apiKey, header: X-Key } }
  default: [token]
errors:
  Missing: { code: NOT_FOUND, description: Nothing here., fields: { id: uuid } }
  Closed: { code: UNAVAILABLE }
operations:
  get: { kind: query, input: { id: uuid }, output: string, errors: [Missing, Closed], auth: [token, key] }
  open: { kind: query, output: string, auth: none }
`);
    const get = schema.getQueryType()!.getFields().get!;
    expect(get.description).toContain('Auth: any one of `token`, `key`.');
    expect(get.description).toContain('`Missing` (code NOT_FOUND)');
    expect(get.description).toContain('`Closed` (code UNAVAILABLE)');
    expect(get.description).toContain('`InvalidArgument` (code INVALID_ARGUMENT)');
    expect(get.description).toContain('`Internal` (code INTERNAL)');
    expect(get.description).toContain('`MissingDetail`');
    expect(schema.getQueryType()!.getFields().open!.description).toContain('Auth: none.');
    const detail = objectType(schema.getType('MissingDetail'));
    expect(String(detail.getFields().id!.type)).toBe('UUID!');
    expect(detail.description).toContain('"NOT_FOUND"');
    expect(schema.getType('ClosedDetail')).toBeUndefined();
    expect(schema.description).toContain('`X-Key: <credential>`');
    expect(schema.description).toContain('`Authorization: Bearer <credential>`');
  });

  it('turns server streams and events into subscriptions, with the event key as an optional filter', async () => {
    const { schema, warnings } = await schemaOf(`
types:
  Tick: { fields: { id: uuid, at: datetime } }
operations:
  ticks: { input: { id: uuid }, output: stream<Tick> }
  upload: { input: stream<Tick>, output: int32 }
  talk: { input: stream<Tick>, output: stream<Tick> }
events:
  ticked: { payload: Tick, key: id }
  closed: { payload: { reason: string, at: datetime? }, deprecated: true }
`);
    const sub = schema.getSubscriptionType()!.getFields();
    expect(Object.keys(sub)).toEqual(['ticks', 'ticked', 'closed']);
    expect(String(sub.ticks!.type)).toBe('Tick!');
    expect(String(arg(sub.ticked, 'id').type)).toBe('UUID');
    expect(String(sub.closed!.type)).toBe('ClosedEvent!');
    expect(sub.closed!.deprecationReason).toBe('No longer supported');
    expect(Object.keys(objectType(schema.getType('ClosedEvent')).getFields())).toEqual(['reason', 'at']);
    expect(warnings.map((w) => [w.args.name, w.args.what])).toEqual([
      ['upload', 'client-streaming operation'],
      ['talk', 'bidirectional-streaming operation'],
    ]);
    // The streamed-only type keeps no unused input form.
    expect(schema.getType('TickInput')).toBeUndefined();
  });

  it('keeps descriptions with quotes, backslashes and triple quotes intact', async () => {
    const text = 'Say \\"\\"\\"hi\\"\\"\\" and \\"quote\\" \\\\ then <b>&amp;</b>\\nnext line';
    const { schema } = await schemaOf(`
types:
  Note: { description: "${text}", fields: { body: { type: string, description: "${text}" } } }
operations:
  note: { kind: query, output: Note }
`);
    const expected = 'Say """hi""" and "quote" \\ then <b>&amp;</b>\nnext line';
    expect(objectType(schema.getType('Note')).description).toBe(expected);
    expect(objectType(schema.getType('Note')).getFields().body!.description).toBe(expected);
  });
});
