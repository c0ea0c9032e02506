// The JSON wire form of contract values (REST bodies, SSE data, WebSocket
// frames, webhooks, GraphQL custom scalars): int64 and decimal as strings,
// bytes as padded base64, datetime as RFC 3339, maps as objects. `decode`
// checks shapes and reports what does not fit as violations with field paths;
// the contract's value rules are checked afterwards by ./validate.ts.
import type { ContractDescriptor, FieldDesc, ObjectDesc, ScalarName, TypeDesc, UnionDesc } from './descriptor.js';
import type { Violation } from './errors.js';
import { childPath } from './validate.js';
import {
  decodeBase64,
  encodeBase64,
  formatDateTime,
  isJsonValue,
  parseDateTime,
  parseInt64,
  type JsonValue,
} from './values.js';

export type Mode = 'input' | 'output';

export function encodeJson(contract: ContractDescriptor, type: TypeDesc, value: unknown): JsonValue {
  switch (type.kind) {
    case 'scalar':
      return encodeScalar(type.scalar, value);
    case 'enum':
      return value as string;
    case 'list':
      return (value as unknown[]).map((element) => encodeJson(contract, type.element, element));
    case 'map': {
      const out: Record<string, JsonValue> = {};
      for (const [key, element] of value as Map<string, unknown>) {
        Object.defineProperty(out, key, { value: encodeJson(contract, type.value, element), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'object':
      return encodeFields(contract, objectDesc(contract, type.name).fields, value as Record<string, unknown>);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = value as Record<string, unknown>;
      const member = union.members.find((m) => m.tag === record[union.discriminator]);
      if (!member) throw new TypeError(`${type.name}: no member has ${union.discriminator} ${String(record[union.discriminator])}`);
      return { [union.discriminator]: member.tag, ...encodeFields(contract, objectDesc(contract, member.type).fields, record) };
    }
  }
}

export function encodeFields(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const field of fields) {
    const v = value[field.name];
    if (v === undefined) continue;
    out[field.name] = encodeJson(contract, field.type, v);
  }
  return out;
}

function encodeScalar(scalar: ScalarName, value: unknown): JsonValue {
  switch (scalar) {
    case 'int64':
      return (value as bigint).toString();
    case 'bytes':
      return encodeBase64(value as Uint8Array);
    case 'datetime':
      return formatDateTime(value as Date);
    case 'json':
      return value as JsonValue;
    default:
      return value as JsonValue;
  }
}

/**
 * Decodes a JSON value into its TS form; shape problems are pushed to `out`
 * and the result is then not to be used. In input mode, read-only fields are
 * dropped and absent fields with a default get it.
 */
export function decodeJson(contract: ContractDescriptor, type: TypeDesc, json: unknown, path: string, out: Violation[], mode: Mode): unknown {
  switch (type.kind) {
    case 'scalar':
      return decodeScalar(type.scalar, json, path, out);
    case 'enum':
      if (typeof json !== 'string') out.push({ path, message: 'must be a string' });
      return json;
    case 'list':
      if (!Array.isArray(json)) {
        out.push({ path, message: 'must be a list' });
        return [];
      }
      return json.map((element, i) => decodeJson(contract, type.element, element, childPath(path, i), out, mode));
    case 'map': {
      const map = new Map<string, unknown>();
      if (!isPlainObject(json)) {
        out.push({ path, message: 'must be an object' });
        return map;
      }
      for (const key of Object.keys(json)) map.set(key, decodeJson(contract, type.value, json[key], childPath(path, key), out, mode));
      return map;
    }
    case 'object':
      return decodeFields(contract, objectDesc(contract, type.name).fields, json, path, out, mode);
    case 'union': {
      const union = unionDesc(contract, type.name);
      if (!isPlainObject(json)) {
        out.push({ path, message: 'must be an object' });
        return {};
      }
      const tag = json[union.discriminator];
      const member = union.members.find((m) => m.tag === tag);
      if (!member) {
        out.push({ path: childPath(path, union.discriminator), message: `must be one of ${union.members.map((m) => m.tag).join(', ')}` });
        return {};
      }
      return { [union.discriminator]: member.tag, ...decodeFields(contract, objectDesc(contract, member.type).fields, json, path, out, mode) };
    }
  }
}

export function decodeFields(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  json: unknown,
  path: string,
  out: Violation[],
  mode: Mode,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  if (!isPlainObject(json)) {
    out.push({ path, message: 'must be an object' });
    return value;
  }
  for (const field of fields) {
    if (mode === 'input' && field.readOnly) continue;
    const fieldPath = childPath(path, field.name);
    const raw = Object.prototype.hasOwnProperty.call(json, field.name) ? json[field.name] : undefined;
    // JSON null means absent, as for a field left out: CONTRACT.md's optional is "may be absent".
    if (raw === undefined || (raw === null && !(field.type.kind === 'scalar' && field.type.scalar === 'json'))) {
      if (mode === 'input' && field.default !== undefined) value[field.name] = decodeJson(contract, field.type, field.default, fieldPath, out, mode);
      else if (!field.optional) out.push({ path: fieldPath, message: 'is required' });
      continue;
    }
    value[field.name] = decodeJson(contract, field.type, raw, fieldPath, out, mode);
  }
  return value;
}

/** Fills absent input fields that have a default (for styles that decode without ./json.ts). */
export function applyInputDefaults(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>): void {
  for (const field of fields) {
    if (value[field.name] === undefined && field.default !== undefined) {
      value[field.name] = decodeJson(contract, field.type, field.default, field.name, [], 'input');
    }
  }
}

function decodeScalar(scalar: ScalarName, json: unknown, path: string, out: Violation[]): unknown {
  const fail = (message: string) => {
    out.push({ path, message });
    return json;
  };
  switch (scalar) {
    case 'string':
    case 'uuid':
    case 'date':
    case 'decimal':
      return typeof json === 'string' ? json : fail('must be a string');
    case 'boolean':
      return typeof json === 'boolean' ? json : fail('must be a boolean');
    case 'int32':
    case 'float32':
    case 'float64':
      return typeof json === 'number' ? json : fail('must be a number');
    case 'int64': {
      if (typeof json !== 'string') return fail('must be a string of digits (int64)');
      const value = parseInt64(json);
      return value === undefined ? fail('must be a 64-bit integer') : value;
    }
    case 'bytes': {
      if (typeof json !== 'string') return fail('must be a base64 string');
      const value = decodeBase64(json);
      return value === undefined ? fail('must be standard padded base64') : value;
    }
    case 'datetime': {
      if (typeof json !== 'string') return fail('must be an RFC 3339 date-time string');
      const value = parseDateTime(json);
      return value === undefined ? fail('must be an RFC 3339 date-time with an offset') : value;
    }
    case 'json':
      return isJsonValue(json) ? json : fail('must be a JSON value');
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

export function objectDesc(contract: ContractDescriptor, name: string): ObjectDesc {
  const desc = contract.types[name];
  if (desc?.kind !== 'object') throw new Error(`contract invariant: ${name} is not an object type`);
  return desc;
}

export function unionDesc(contract: ContractDescriptor, name: string): UnionDesc {
  const desc = contract.types[name];
  if (desc?.kind !== 'union') throw new Error(`contract invariant: ${name} is not a union`);
  return desc;
}
