// How a type change looks in one style: the same encoding, a wider or
// narrower set of values in the same encoding, or another encoding. uuid ->
// string is wider in JSON (both strings) but another type in GraphQL (UUID vs
// String) and the same `string` on the protobuf wire.
import type { ScalarName, TypeRef } from '../contract/model.js';
import type { DiffStyle } from './styles.js';

export type Relation = 'same' | 'wider' | 'narrower' | 'incompatible';

type Carrier = string;

/** The encoding of each scalar per style family; scalars with the same carrier may be compared by their value sets. */
const JSON_CARRIER: Record<ScalarName, Carrier> = {
  string: 'string', boolean: 'boolean', int32: 'number', int64: 'string', float32: 'number', float64: 'number',
  decimal: 'string', bytes: 'string', date: 'string', datetime: 'string', uuid: 'string', json: 'any',
};
const PROTO_CARRIER: Record<ScalarName, Carrier> = {
  string: 'string', boolean: 'bool', int32: 'int32', int64: 'int64', float32: 'float', float64: 'double',
  decimal: 'string', bytes: 'bytes', date: 'string', datetime: 'Timestamp', uuid: 'string', json: 'Value',
};
const GRAPHQL_CARRIER: Record<ScalarName, Carrier> = {
  string: 'String', boolean: 'Boolean', int32: 'Int', int64: 'Int64', float32: 'Float', float64: 'Float',
  decimal: 'Decimal', bytes: 'Bytes', date: 'Date', datetime: 'DateTime', uuid: 'UUID', json: 'JSON',
};
const XSD_CARRIER: Record<ScalarName, Carrier> = {
  string: 'string', boolean: 'boolean', int32: 'int', int64: 'long', float32: 'float', float64: 'double',
  decimal: 'decimal', bytes: 'base64Binary', date: 'date', datetime: 'dateTime', uuid: 'string', json: 'string',
};
const TS_CARRIER: Record<ScalarName, Carrier> = {
  string: 'string', boolean: 'boolean', int32: 'number', int64: 'bigint', float32: 'number', float64: 'number',
  decimal: 'string', bytes: 'Uint8Array', date: 'string', datetime: 'Date', uuid: 'string', json: 'unknown',
};

function carriers(style: DiffStyle): Record<ScalarName, Carrier> {
  switch (style) {
    case 'graphql':
      return GRAPHQL_CARRIER;
    case 'grpc-wire':
      return PROTO_CARRIER;
    case 'soap':
      return XSD_CARRIER;
    case 'typescript':
      return TS_CARRIER;
    default:
      return JSON_CARRIER; // rest, grpc-json (proto3 JSON writes int64 and bytes as strings too), ws, mqtt, amqp, kafka
  }
}

/** narrower -> the wider scalars whose values include it (in any carrier where both meet). */
const WIDER: Partial<Record<ScalarName, ScalarName[]>> = {
  uuid: ['string'],
  date: ['string'],
  decimal: ['string'],
  int64: ['string', 'decimal'],
  int32: ['int64', 'float64', 'decimal'],
  float32: ['float64'],
};

function scalarRelation(a: ScalarName, b: ScalarName, style: DiffStyle): Relation {
  if (a === b) return 'same';
  const c = carriers(style);
  if (b === 'json' && style !== 'graphql' && style !== 'grpc-wire') return 'wider';
  if (a === 'json' && style !== 'graphql' && style !== 'grpc-wire') return 'narrower';
  if (c[a] !== c[b]) return 'incompatible';
  // GraphQL has one Float: the schema, and so every document, stays the same.
  if (style === 'graphql') return 'same';
  if (WIDER[a]?.includes(b)) return 'wider';
  if (WIDER[b]?.includes(a)) return 'narrower';
  // The same encoding for unrelated value sets (date <-> uuid): what passed before fails now.
  return 'incompatible';
}

/** How `b` relates to `a` in `style`; named types compare by name (renames are resolved by the caller). */
export function relate(a: TypeRef, b: TypeRef, style: DiffStyle, renamed: (oldName: string) => string = (n) => n): Relation {
  if (a.kind === 'scalar' && b.kind === 'scalar') return scalarRelation(a.scalar, b.scalar, style);
  if (a.kind === 'list' && b.kind === 'list') return relate(a.element, b.element, style, renamed);
  if (a.kind === 'map' && b.kind === 'map') return relate(a.value, b.value, style, renamed);
  if ((a.kind === 'object' || a.kind === 'enum' || a.kind === 'union') && a.kind === b.kind) return renamed(a.name) === b.name ? 'same' : 'incompatible';
  // An enum travels as its value's text in JSON: a string field accepts every old value.
  const jsonLike = carriers(style) === JSON_CARRIER;
  if (jsonLike && a.kind === 'enum' && b.kind === 'scalar' && b.scalar === 'string') return 'wider';
  if (jsonLike && a.kind === 'scalar' && a.scalar === 'string' && b.kind === 'enum') return 'narrower';
  return 'incompatible';
}

export function typeText(t: TypeRef): string {
  switch (t.kind) {
    case 'scalar':
      return t.scalar;
    case 'list':
      return `${typeText(t.element)}[]`;
    case 'map':
      return `map<string, ${typeText(t.value)}>`;
    default:
      return t.name;
  }
}
