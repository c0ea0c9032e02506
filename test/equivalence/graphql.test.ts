// Equivalence of schema.graphql with the model: the SDL is read back with
// graphql-js (buildSchema) and compared, generically, with expectations
// derived here from the model: every operation GraphQL carries, every event,
// type, field, enum value, union member and error detail, with the expected
// GraphQL type (scalar mapping, non-null vs nullable, list and map shape), and
// nothing else.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GraphQLField, GraphQLInputField, GraphQLNamedType, GraphQLSchema } from 'graphql';
import {
  buildSchema,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLUnionType,
  isIntrospectionType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import type { Field, Model, NamedType, TypeRef } from '../../src/contract/model.js';
import { graphqlEmitter } from '../../src/emit/graphql/index.js';

const CONTRACTS_DIR = resolve(import.meta.dirname, '../../contracts');
const contracts = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

// ---- expectations, written from the mapping rules in docs/mapping/graphql.md ----

const SCALARS: Record<string, string> = {
  string: 'String',
  boolean: 'Boolean',
  int32: 'Int',
  int64: 'Int64',
  float32: 'Float',
  float64: 'Float',
  decimal: 'Decimal',
  bytes: 'Bytes',
  date: 'Date',
  datetime: 'DateTime',
  uuid: 'UUID',
  json: 'JSON',
};
const SPECIFIED = new Set(['Date', 'DateTime', 'UUID', 'Bytes', 'JSON']);

type Side = 'in' | 'out';

class Expected {
  /** Named types the schema must hold (besides the root types). */
  readonly types = new Set<string>();
  /** Map entry type name -> SDL type of its `value` field. */
  readonly entries = new Map<string, string>();
  constructor(readonly model: Model) {}

  named(name: string): NamedType {
    const t = this.model.types.find((x) => x.name === name);
    if (!t) throw new Error(`unknown type ${name}`);
    return t;
  }

  /** Name used in map entry type names for a map's value type. */
  valueName(ref: TypeRef): string {
    if (ref.kind === 'scalar') return SCALARS[ref.scalar]!;
    if (ref.kind === 'list') return `${this.valueName(ref.element)}List`;
    if (ref.kind === 'map') return `String${this.valueName(ref.value)}Map`;
    return this.named(ref.name).names.graphql;
  }

  /** The SDL type string of a contract type in a position; records the named types it needs. */
  sdl(ref: TypeRef, optional: boolean, side: Side): string {
    let base: string;
    if (ref.kind === 'scalar') {
      base = SCALARS[ref.scalar]!;
      if (!['String', 'Boolean', 'Int', 'Float'].includes(base)) this.types.add(base);
    } else if (ref.kind === 'list') {
      base = `[${this.sdl(ref.element, false, side)}]`;
    } else if (ref.kind === 'map') {
      const entry = `String${this.valueName(ref.value)}MapEntry${side === 'in' ? 'Input' : ''}`;
      this.types.add(entry);
      this.entries.set(entry, this.sdl(ref.value, false, side));
      base = `[${entry}!]`;
    } else {
      const t = this.named(ref.name);
      base = side === 'in' && t.kind !== 'enum' ? t.names.graphqlInput : t.names.graphql;
      this.types.add(base);
    }
    return optional || base === 'JSON' ? base : `${base}!`;
  }
}

/** Object and union types reached from GraphQL inputs / outputs (closure over fields, members, lists, maps). */
function reach(model: Model): { input: Set<string>; output: Set<string> } {
  const ops = model.operations.filter((op) => op.styles.includes('graphql'));
  const fieldsOf = (name: string): Field[] => {
    const t = model.types.find((x) => x.name === name)!;
    return t.kind === 'object' ? t.fields : [];
  };
  const close = (roots: TypeRef[], side: Side): Set<string> => {
    const seen = new Set<string>();
    const walk = (r: TypeRef): void => {
      if (r.kind === 'list') return walk(r.element);
      if (r.kind === 'map') return walk(r.value);
      if (r.kind === 'scalar' || seen.has(r.name)) return;
      seen.add(r.name);
      const t = model.types.find((x) => x.name === r.name)!;
      if (t.kind === 'union') t.members.forEach((m) => walk({ kind: 'object', name: m.type }));
      if (t.kind === 'object') t.fields.filter((f) => side === 'out' || !f.readOnly).forEach((f) => walk(f.type));
    };
    roots.forEach(walk);
    return seen;
  };
  const inRoots: TypeRef[] = [];
  const outRoots: TypeRef[] = [];
  for (const op of ops) {
    if (op.input.kind === 'fields') {
      if (op.input.named) inRoots.push({ kind: 'object', name: op.input.named });
      else inRoots.push(...op.input.fields.filter((f) => !f.readOnly).map((f) => f.type));
    }
    if (op.output.kind === 'value') outRoots.push(op.output.type);
    if (op.output.kind === 'stream') outRoots.push(op.output.element);
  }
  for (const ev of model.events) {
    const fields = ev.payload.kind === 'named' ? fieldsOf(ev.payload.type) : ev.payload.fields;
    if (ev.payload.kind === 'named') outRoots.push({ kind: 'object', name: ev.payload.type });
    else outRoots.push(...fields.map((f) => f.type));
    const key = fields.find((f) => f.name === ev.key);
    if (key) inRoots.push(key.type);
  }
  for (const e of model.errors) outRoots.push(...e.fields.map((f) => f.type));
  const input = close(inRoots, 'in');
  for (const t of model.types) if (!input.has(t.name)) outRoots.push({ kind: t.kind, name: t.name } as TypeRef);
  return { input, output: close(outRoots, 'out') };
}

// ---- checks ----

function typeString(t: { type: unknown }): string {
  return String(t.type);
}

/** True when a JSON default holds an object or array under a json scalar (no GraphQL literal can carry it). */
function hasJsonObject(value: unknown, ref: TypeRef, model: Model): boolean {
  if (ref.kind === 'scalar') return ref.scalar === 'json' && value !== null && typeof value === 'object';
  if (ref.kind === 'list') return Array.isArray(value) && value.some((v) => hasJsonObject(v, ref.element, model));
  if (ref.kind === 'map') return Object.values(value as object).some((v) => hasJsonObject(v, ref.value, model));
  if (ref.kind === 'enum') return false;
  const t = model.types.find((x) => x.name === ref.name)!;
  if (t.kind === 'object') {
    const given = value as Record<string, unknown>;
    return t.fields.some((f) => (f.name in given ? hasJsonObject(given[f.name], f.type, model) : f.hasDefault && hasJsonObject(f.default, f.type, model)));
  }
  if (t.kind === 'union') {
    const given = value as Record<string, unknown>;
    const member = t.members.find((m) => m.tag === given[t.discriminator]);
    return member ? hasJsonObject(given, { kind: 'object', name: member.type }, model) : true;
  }
  return false;
}

function checkOutputFields(exp: Expected, owner: string, got: Record<string, GraphQLField<unknown, unknown>>, fields: Field[]): void {
  expect(Object.keys(got), `fields of ${owner}`).toEqual(fields.length > 0 ? fields.map((f) => f.names.graphql) : ['_']);
  for (const f of fields) {
    const g = got[f.names.graphql]!;
    expect(typeString(g), `${owner}.${f.name}`).toBe(exp.sdl(f.type, f.optional, 'out'));
    expect(g.deprecationReason !== undefined && g.deprecationReason !== null, `${owner}.${f.name} deprecated`).toBe(f.deprecated !== undefined);
  }
}

/** Input fields and arguments: type, default, deprecation (or its note where GraphQL forbids it). */
function checkInputValues(
  exp: Expected,
  owner: string,
  got: readonly (GraphQLInputField | import('graphql').GraphQLArgument)[],
  fields: Field[],
): void {
  const kept = fields.filter((f) => !f.readOnly);
  expect(got.map((g) => g.name), `inputs of ${owner}`).toEqual(kept.length > 0 ? kept.map((f) => f.names.graphql) : ['_']);
  for (const f of kept) {
    const g = got.find((x) => x.name === f.names.graphql)!;
    const where = `${owner}.${f.name}`;
    const printable = f.hasDefault && !hasJsonObject(f.default, f.type, exp.model);
    expect(typeString(g), where).toBe(exp.sdl(f.type, f.optional || (f.hasDefault && !printable), 'in'));
    expect(g.defaultValue !== undefined, `${where} default`).toBe(printable);
    if (printable && ['scalar', 'enum'].includes(f.type.kind)) expect(g.defaultValue, `${where} default`).toEqual(f.default);
    if (f.hasDefault && !printable) expect(g.description, `${where} default note`).toContain('Default: ');
    if (f.deprecated !== undefined) {
      const noted = (g.deprecationReason ?? undefined) !== undefined || (g.description ?? '').includes('Deprecated');
      expect(noted, `${where} deprecated`).toBe(true);
    } else {
      expect(g.deprecationReason ?? undefined, `${where} not deprecated`).toBeUndefined();
    }
  }
}

function definedTypeNames(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => !isIntrospectionType(t) && !isSpecifiedScalarType(t))
    .map((t) => t.name);
}

function asObject(t: GraphQLNamedType | undefined, what: string): GraphQLObjectType {
  expect(t, what).toBeInstanceOf(GraphQLObjectType);
  return t as GraphQLObjectType;
}

function asInput(t: GraphQLNamedType | undefined, what: string): GraphQLInputObjectType {
  expect(t, what).toBeInstanceOf(GraphQLInputObjectType);
  return t as GraphQLInputObjectType;
}

describe.each(contracts)('graphql equivalence on %s', (name) => {
  it('the parsed schema matches the model, with nothing extra', async () => {
    const { model } = await loadContract(join(CONTRACTS_DIR, name));
    expect(model).toBeDefined();
    const m = model!;
    const files = await graphqlEmitter.emit(m, { warn: () => {}, options: {} });
    const schema = buildSchema(files[0]!.content);
    const exp = new Expected(m);

    // Operations and events on the root types.
    const ops = m.operations.filter((op) => op.stream === 'unary' || op.stream === 'server');
    expect(m.operations.filter((op) => op.styles.includes('graphql')).map((op) => op.name)).toEqual(ops.map((op) => op.name));
    const queries = ops.filter((op) => op.stream === 'unary' && op.kind === 'query');
    const mutations = ops.filter((op) => op.stream === 'unary' && op.kind === 'mutation');
    const streams = ops.filter((op) => op.stream === 'server');
    const queryFields = schema.getQueryType()!.getFields();
    expect(Object.keys(queryFields)).toEqual(queries.length > 0 ? queries.map((op) => op.names.graphql) : ['_version']);
    expect(Object.keys(schema.getMutationType()?.getFields() ?? {})).toEqual(mutations.map((op) => op.names.graphql));
    const subFields = schema.getSubscriptionType()?.getFields() ?? {};
    expect(Object.keys(subFields)).toEqual([...streams.map((op) => op.names.graphql), ...m.events.map((e) => e.names.graphql)]);

    for (const op of ops) {
      const root = op.stream === 'server' ? subFields : op.kind === 'query' ? queryFields : schema.getMutationType()!.getFields();
      const field = root[op.names.graphql]!;
      const expectedType =
        op.output.kind === 'none'
          ? 'Boolean!'
          : op.output.kind === 'value'
            ? exp.sdl(op.output.type, op.output.optional, 'out')
            : exp.sdl(op.output.element, false, 'out');
      expect(typeString(field), `${op.name} result`).toBe(expectedType);
      if (op.input.kind === 'fields' && op.input.named !== undefined) {
        expect(field.args.map((a) => `${a.name}: ${typeString(a)}`), `${op.name} args`).toEqual([
          `input: ${exp.sdl({ kind: 'object', name: op.input.named }, false, 'in')}`,
        ]);
      } else if (op.input.kind === 'fields') {
        checkInputValues(exp, op.name, field.args, op.input.fields);
      } else {
        expect(field.args, `${op.name} args`).toEqual([]);
      }
      expect((field.deprecationReason ?? undefined) !== undefined, `${op.name} deprecated`).toBe(op.deprecated !== undefined);
      // Errors and auth are documented in the description.
      const description = field.description ?? '';
      for (const e of [...op.errors.map((n) => m.errors.find((x) => x.name === n)!), ...m.errors.filter((x) => !x.declared)]) {
        expect(description, `${op.name} documents ${e.name}`).toContain(`\`${e.names.wire}\` (code ${e.mapping.graphqlCode})`);
      }
      for (const s of op.auth) expect(description, `${op.name} auth`).toContain(`\`${s}\``);
      if (op.auth.length === 0) expect(description).toContain('Auth: none.');
    }

    const inlinePayloads: string[] = [];
    for (const ev of m.events) {
      const field = subFields[ev.names.graphql]!;
      const fields = ev.payload.kind === 'named' ? (exp.named(ev.payload.type) as { fields: Field[] }).fields : ev.payload.fields;
      const payloadName = ev.payload.kind === 'named' ? exp.named(ev.payload.type).names.graphql : ev.names.payloadType;
      expect(typeString(field), `event ${ev.name}`).toBe(`${payloadName}!`);
      const key = fields.find((f) => f.name === ev.key);
      expect(field.args.map((a) => `${a.name}: ${typeString(a)}`), `event ${ev.name} filter`).toEqual(
        key ? [`${key.names.graphql}: ${exp.sdl(key.type, true, 'in')}`] : [],
      );
      expect((field.deprecationReason ?? undefined) !== undefined, `${ev.name} deprecated`).toBe(ev.deprecated !== undefined);
      if (ev.payload.kind === 'inline') {
        inlinePayloads.push(ev.names.payloadType);
        checkOutputFields(exp, ev.names.payloadType, asObject(schema.getType(ev.names.payloadType), ev.names.payloadType).getFields(), ev.payload.fields);
      }
    }

    // Contract types in their output and input forms.
    const { input, output } = reach(m);
    for (const t of m.types) {
      if (t.kind === 'enum') {
        exp.types.add(t.names.graphql);
        const e = schema.getType(t.names.graphql);
        expect(e, t.name).toBeInstanceOf(GraphQLEnumType);
        const values = (e as GraphQLEnumType).getValues();
        expect(values.map((v) => v.name), `values of ${t.name}`).toEqual(t.values.map((v) => v.names.graphql));
        for (const v of t.values) {
          const got = values.find((x) => x.name === v.names.graphql)!;
          expect((got.deprecationReason ?? undefined) !== undefined, `${t.name}.${v.name} deprecated`).toBe(v.deprecated !== undefined);
        }
        continue;
      }
      if (output.has(t.name)) {
        exp.types.add(t.names.graphql);
        if (t.kind === 'object') {
          checkOutputFields(exp, t.name, asObject(schema.getType(t.names.graphql), t.name).getFields(), t.fields);
        } else {
          const u = schema.getType(t.names.graphql);
          expect(u, t.name).toBeInstanceOf(GraphQLUnionType);
          expect((u as GraphQLUnionType).getTypes().map((x) => x.name), `members of ${t.name}`).toEqual(
            t.members.map((mm) => exp.named(mm.type).names.graphql),
          );
        }
      } else {
        expect(schema.getType(t.names.graphql), `${t.name} has no output form`).toBeUndefined();
      }
      if (input.has(t.name)) {
        exp.types.add(t.names.graphqlInput);
        const i = asInput(schema.getType(t.names.graphqlInput), t.names.graphqlInput);
        if (t.kind === 'object') {
          expect(i.isOneOf).toBe(false);
          checkInputValues(exp, t.names.graphqlInput, Object.values(i.getFields()), t.fields);
        } else {
          expect(i.isOneOf, `${t.name} is @oneOf`).toBe(true);
          expect(Object.values(i.getFields()).map((f) => `${f.name}: ${typeString(f)}`), `members of ${t.names.graphqlInput}`).toEqual(
            t.members.map((mm) => `${mm.names.graphql}: ${exp.named(mm.type).names.graphqlInput}`),
          );
        }
      } else if (t.names.graphqlInput !== t.names.graphql) {
        expect(schema.getType(t.names.graphqlInput), `${t.name} has no input form`).toBeUndefined();
      }
    }

    // Error details: declared errors with fields.
    for (const e of m.errors) {
      if (e.declared && e.fields.length > 0) {
        exp.types.add(e.names.graphql);
        checkOutputFields(exp, e.names.graphql, asObject(schema.getType(e.names.graphql), e.names.graphql).getFields(), e.fields);
      } else {
        expect(schema.getType(e.names.graphql), `${e.name} has no detail type`).toBeUndefined();
      }
    }
    inlinePayloads.forEach((n) => exp.types.add(n));

    // Map entries: `{ key: String!, value: V! }`, one per value type and side.
    for (const [n, value] of exp.entries) {
      const t = schema.getType(n) as GraphQLObjectType | GraphQLInputObjectType | undefined;
      expect(t instanceof (n.endsWith('Input') ? GraphQLInputObjectType : GraphQLObjectType), n).toBe(true);
      expect(Object.values(t!.getFields()).map((f) => `${f.name}: ${typeString(f)}`), n).toEqual(['key: String!', `value: ${value}`]);
    }

    // Custom scalars: exactly the used ones, with @specifiedBy where a spec exists.
    for (const n of definedTypeNames(schema)) {
      const t = schema.getType(n);
      if (t instanceof GraphQLScalarType) expect(Boolean(t.specifiedByURL), `${n} @specifiedBy`).toBe(SPECIFIED.has(n));
    }

    const roots = ['Query', 'Mutation', 'Subscription'].filter((r) => schema.getType(r));
    expect(new Set(definedTypeNames(schema))).toEqual(new Set([...roots, ...exp.types]));
  });
});
