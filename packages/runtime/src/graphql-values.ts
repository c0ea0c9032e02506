// Contract values <-> GraphQL values, as the emitted SDL shapes them: maps
// are lists of `{ key, value }` entries, output unions carry `__typename`
// (the member type, which is also its discriminator value), input unions are
// `@oneOf` objects with one field per member, and the custom scalars
// (Int64, Decimal, Date, DateTime, UUID, Bytes, JSON) use the JSON forms.
import { GraphQLError, GraphQLScalarType, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import type { ContractDescriptor, FieldDesc, TypeDesc } from './descriptor.js';
import type { Violation } from './errors.js';
import { decodeJson, encodeJson, objectDesc, unionDesc } from './json.js';
import { childPath } from './validate.js';
import { decodeBase64, encodeBase64, formatDateTime, isDate, isDecimal, parseDateTime, parseInt64, UUID_TEXT, type JsonValue } from './values.js';

function scalar(name: string, serialize: (v: unknown) => unknown, parse: (v: unknown) => unknown): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    serialize,
    parseValue: parse,
    parseLiteral: (ast) => parse(valueFromASTUntyped(ast)),
  });
}

function fail(name: string, value: unknown): never {
  throw new GraphQLError(`${name} cannot represent ${JSON.stringify(value) ?? String(value)}`, { extensions: { code: 'INVALID_ARGUMENT', error: 'InvalidArgument' } });
}

const text = (name: string, ok: (s: string) => boolean) => (v: unknown) => (typeof v === 'string' && ok(v) ? v : fail(name, v));

/** The custom scalars' behaviour, attached to the schema built from the SDL (pure: a client bundle that only converts values drops them). */
export const SCALARS: Record<string, GraphQLScalarType> = {
  Int64: /* @__PURE__ */ scalar('Int64', (v) => (typeof v === 'bigint' ? v.toString() : String(v)), (v) => (typeof v === 'string' ? parseInt64(v) ?? fail('Int64', v) : fail('Int64', v))),
  Decimal: /* @__PURE__ */ scalar('Decimal', (v) => v, text('Decimal', isDecimal)),
  Date: /* @__PURE__ */ scalar('Date', (v) => v, text('Date', isDate)),
  DateTime: /* @__PURE__ */ scalar('DateTime', (v) => (v instanceof Date ? formatDateTime(v) : v), (v) => (typeof v === 'string' ? parseDateTime(v) ?? fail('DateTime', v) : fail('DateTime', v))),
  UUID: /* @__PURE__ */ scalar('UUID', (v) => v, text('UUID', (s) => UUID_TEXT.test(s))),
  Bytes: /* @__PURE__ */ scalar('Bytes', (v) => (v instanceof Uint8Array ? encodeBase64(v) : v), (v) => (typeof v === 'string' ? decodeBase64(v) ?? fail('Bytes', v) : fail('Bytes', v))),
  JSON: /* @__PURE__ */ scalar('JSON', (v) => v, (v) => v),
};

/**
 * A contract type's name in the SDL: GraphQL's built-in scalar names take a
 * trailing underscore (`String_`), as the emitter's names.graphqlTypeName does.
 */
export function graphqlTypeName(name: string): string {
  return name === 'String' || name === 'Int' || name === 'Float' || name === 'Boolean' || name === 'ID' ? `${name}_` : name;
}

/**
 * Gives the schema's custom scalars their behaviour (the SDL only names them).
 * A scalar is `Date_` when a contract type is named `Date`; only apigen declares scalars.
 */
export function attachScalars(schema: GraphQLSchema): void {
  for (const [name, impl] of Object.entries(SCALARS)) {
    const own = schema.getType(name);
    const type = own instanceof GraphQLScalarType ? own : schema.getType(`${name}_`);
    if (type instanceof GraphQLScalarType) {
      type.serialize = impl.serialize;
      type.parseValue = impl.parseValue;
      type.parseLiteral = impl.parseLiteral;
    }
  }
}

/** A TS output value as graphql-js's default resolvers and the scalars above expect it. */
export function toGraphqlOutput(contract: ContractDescriptor, type: TypeDesc, value: unknown): unknown {
  if (value === undefined) return null;
  switch (type.kind) {
    case 'scalar':
    case 'enum':
      return value;
    case 'list':
      return (value as unknown[]).map((e) => toGraphqlOutput(contract, type.element, e));
    case 'map':
      return [...(value as Map<string, unknown>)].map(([key, v]) => ({ key, value: toGraphqlOutput(contract, type.value, v) }));
    case 'object':
      return objectOut(contract, objectDesc(contract, type.name).fields, value as Record<string, unknown>);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = value as Record<string, unknown>;
      const member = union.members.find((m) => m.tag === record[union.discriminator])!;
      return { ...objectOut(contract, objectDesc(contract, member.type).fields, record), __typename: graphqlTypeName(member.type) };
    }
  }
}

function objectOut(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.name] = toGraphqlOutput(contract, f.type, own(value, f.name));
  return out;
}

/** GraphQL input values (scalars already parsed to TS forms) as TS input values. */
export function fromGraphqlInput(contract: ContractDescriptor, type: TypeDesc, value: unknown, optional: boolean): unknown {
  if (value === null || value === undefined) {
    if (type.kind === 'scalar' && type.scalar === 'json' && !optional) return null;
    return undefined;
  }
  switch (type.kind) {
    case 'scalar':
      // SDL default values were read before the scalars got their parsers, so they arrive in their JSON form.
      if (typeof value === 'string' && (type.scalar === 'int64' || type.scalar === 'datetime' || type.scalar === 'bytes')) {
        return decodeJson(contract, type, value, '', [], 'input');
      }
      return value;
    case 'enum':
      return value;
    case 'list':
      return (value as unknown[]).map((e) => fromGraphqlInput(contract, type.element, e, false));
    case 'map':
      return new Map((value as { key: string; value: unknown }[]).map((e) => [e.key, fromGraphqlInput(contract, type.value, e.value, false)]));
    case 'object':
      return fieldsIn(contract, objectDesc(contract, type.name).fields, value as Record<string, unknown>);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = value as Record<string, unknown>;
      const member = union.members.find((m) => record[m.field] !== undefined && record[m.field] !== null);
      if (!member) return {};
      return { [union.discriminator]: member.tag, ...fieldsIn(contract, objectDesc(contract, member.type).fields, record[member.field] as Record<string, unknown>) };
    }
  }
}

export function fieldsIn(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.readOnly) continue;
    const v = fromGraphqlInput(contract, f.type, own(value, f.name), f.optional);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

/** A TS input value as GraphQL variables JSON. */
export function toGraphqlInput(contract: ContractDescriptor, type: TypeDesc, value: unknown): JsonValue {
  switch (type.kind) {
    case 'scalar':
    case 'enum':
      return encodeJson(contract, type, value);
    case 'list':
      return (value as unknown[]).map((e) => toGraphqlInput(contract, type.element, e));
    case 'map':
      return [...(value as Map<string, unknown>)].map(([key, v]) => ({ key, value: toGraphqlInput(contract, type.value, v) }));
    case 'object':
      return fieldsOut(contract, objectDesc(contract, type.name).fields, value as Record<string, unknown>);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = value as Record<string, unknown>;
      const member = union.members.find((m) => m.tag === record[union.discriminator])!;
      return { [member.field]: fieldsOut(contract, objectDesc(contract, member.type).fields, record) };
    }
  }
}

export function fieldsOut(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const f of fields) {
    const v = own(value, f.name);
    if (f.readOnly || v === undefined) continue;
    out[f.name] = toGraphqlInput(contract, f.type, v);
  }
  return out;
}

/** A GraphQL response value (JSON) as the TS output value. */
export function fromGraphqlOutput(contract: ContractDescriptor, type: TypeDesc, json: unknown, path: string, out: Violation[]): unknown {
  switch (type.kind) {
    case 'scalar':
    case 'enum':
      return decodeJson(contract, type, json, path, out, 'output');
    case 'list':
      return ((json as unknown[]) ?? []).map((e, i) => fromGraphqlOutput(contract, type.element, e, childPath(path, i), out));
    case 'map':
      return new Map(((json as { key: string; value: unknown }[]) ?? []).map((e) => [e.key, fromGraphqlOutput(contract, type.value, e.value, childPath(path, e.key), out)]));
    case 'object':
      return objectIn(contract, objectDesc(contract, type.name).fields, (json ?? {}) as Record<string, unknown>, path, out);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = (json ?? {}) as Record<string, unknown>;
      const member = union.members.find((m) => graphqlTypeName(m.type) === record.__typename);
      if (!member) {
        out.push({ path, message: 'unknown union member' });
        return {};
      }
      return { [union.discriminator]: member.tag, ...objectIn(contract, objectDesc(contract, member.type).fields, record, path, out) };
    }
  }
}

function objectIn(contract: ContractDescriptor, fields: readonly FieldDesc[], json: Record<string, unknown>, path: string, out: Violation[]): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = own(json, f.name);
    const isJson = f.type.kind === 'scalar' && f.type.scalar === 'json';
    if (raw === undefined || (raw === null && (f.optional || !isJson))) continue;
    value[f.name] = fromGraphqlOutput(contract, f.type, raw, childPath(path, f.name), out);
  }
  return value;
}

/** A field's value, never one inherited from Object.prototype (a field may be named `constructor` or `toString`). */
function own(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
