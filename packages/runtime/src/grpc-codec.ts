// Contract values <-> the plain objects @grpc/proto-loader serializes, walked
// beside the protobufjs reflection of the emitted .proto, so that wrapper
// messages (`StringList`, an output wrapped in field 1), oneofs, Timestamp and
// Value are read from the schema rather than guessed. proto-loader runs with
// keepCase, longs as String, enums as String, defaults off and oneofs on.
import protobuf from 'protobufjs';
import type { ContractDescriptor, FieldDesc, TypeDesc } from './descriptor.js';
import type { Violation } from './errors.js';
import { applyInputDefaults, objectDesc, unionDesc } from './json.js';
import { childPath } from './validate.js';
import type { JsonValue } from './values.js';

/** The options proto-loader's (de)serializers run with; the codec relies on them. */
export const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, arrays: true, objects: true } as const;

const WELL_KNOWN = ['google/protobuf/timestamp.proto', 'google/protobuf/struct.proto', 'google/protobuf/any.proto'];

/** The emitted .proto parsed with protobufjs, with the well-known types it imports. */
export function parseProto(text: string): protobuf.Root {
  const root = new protobuf.Root();
  for (const file of WELL_KNOWN) root.addJSON(protobuf.common.get(file)!.nested!);
  protobuf.parse(text, root, { keepCase: true });
  root.resolveAll();
  return root;
}

interface Slot {
  repeated: boolean;
  map: boolean;
  resolved: protobuf.ReflectionObject | null;
}

export function fieldSlot(field: protobuf.Field): Slot {
  return { repeated: field.repeated, map: field.map, resolved: field.resolvedType };
}

function elementSlot(slot: Slot): Slot {
  return { repeated: false, map: false, resolved: slot.resolved };
}

function asType(slot: Slot): protobuf.Type {
  if (!(slot.resolved instanceof protobuf.Type)) throw new Error('contract invariant: expected a message type');
  return slot.resolved;
}

/** The wrapper message's `values` field: lists of lists, lists in maps, optional lists and maps. */
function wrapped(slot: Slot): Slot {
  const inner = asType(slot).fields.values;
  if (!inner) throw new Error(`contract invariant: ${asType(slot).name} is not a wrapper message`);
  return fieldSlot(inner);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function toWire(contract: ContractDescriptor, type: TypeDesc, value: unknown, slot: Slot): unknown {
  switch (type.kind) {
    case 'list':
      if (!slot.repeated) return { values: toWire(contract, type, value, wrapped(slot)) };
      return (value as unknown[]).map((e) => toWire(contract, type.element, e, elementSlot(slot)));
    case 'map': {
      if (!slot.map) return { values: toWire(contract, type, value, wrapped(slot)) };
      const out: Record<string, unknown> = {};
      for (const [k, e] of value as Map<string, unknown>) setOwn(out, k, toWire(contract, type.value, e, elementSlot(slot)));
      return out;
    }
    case 'scalar':
      switch (type.scalar) {
        case 'int64':
          return (value as bigint).toString();
        case 'datetime': {
          const ms = (value as Date).getTime();
          const seconds = Math.floor(ms / 1000);
          return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
        }
        case 'json':
          return toProtoValue(value as JsonValue);
        case 'bytes':
          return Buffer.from(value as Uint8Array);
        default:
          return value;
      }
    case 'enum': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'enum') throw new Error(`contract invariant: ${type.name} is not an enum`);
      const v = desc.values.find((x) => x.name === value);
      if (!v) throw new TypeError(`${String(value)} is not a value of ${type.name}`);
      return v.proto;
    }
    case 'object':
      return objectToWire(contract, objectDesc(contract, type.name).fields, value as Record<string, unknown>, asType(slot));
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = value as Record<string, unknown>;
      const member = union.members.find((m) => m.tag === record[union.discriminator]);
      if (!member) throw new TypeError(`${type.name}: no member has ${union.discriminator} ${String(record[union.discriminator])}`);
      const field = asType(slot).fields[member.proto]!;
      return { [member.proto]: objectToWire(contract, objectDesc(contract, member.type).fields, record, asType(fieldSlot(field))) };
    }
  }
}

export function objectToWire(contract: ContractDescriptor, fields: readonly FieldDesc[], value: Record<string, unknown>, message: protobuf.Type): Record<string, unknown> {
  // No prototype: protobufjs's fromObject reads every field by name, inherited ones too (`constructor`).
  const out = Object.create(null) as Record<string, unknown>;
  for (const f of fields) {
    // An own property only: a field may be named like an Object.prototype member (`constructor`).
    const v = Object.hasOwn(value, f.name) ? value[f.name] : undefined;
    if (v === undefined) continue;
    const field = message.fields[f.proto];
    if (!field) continue; // a read-only field has no slot in no message; every other field does
    out[f.proto] = toWire(contract, f.type, v, fieldSlot(field));
  }
  return out;
}

/** A proto value (absent = proto3 zero value) as the contract's TS value; shape problems go to `out`. */
export function fromWire(contract: ContractDescriptor, type: TypeDesc, wire: unknown, slot: Slot, path: string, out: Violation[], mode: 'input' | 'output'): unknown {
  switch (type.kind) {
    case 'list':
      if (!slot.repeated) return fromWire(contract, type, (wire as { values?: unknown } | undefined)?.values, wrapped(slot), path, out, mode);
      return ((wire as unknown[] | undefined) ?? []).map((e, i) => fromWire(contract, type.element, e, elementSlot(slot), childPath(path, i), out, mode));
    case 'map': {
      if (!slot.map) return fromWire(contract, type, (wire as { values?: unknown } | undefined)?.values, wrapped(slot), path, out, mode);
      const map = new Map<string, unknown>();
      const record = (wire ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(record)) map.set(key, fromWire(contract, type.value, record[key], elementSlot(slot), childPath(path, key), out, mode));
      return map;
    }
    case 'scalar':
      switch (type.scalar) {
        case 'int64':
          return BigInt((wire as string | undefined) ?? '0');
        case 'datetime': {
          const ts = (wire ?? {}) as { seconds?: string; nanos?: number };
          return new Date(Number(ts.seconds ?? '0') * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000));
        }
        case 'json':
          return fromProtoValue(wire);
        case 'bytes':
          return new Uint8Array((wire as Uint8Array | undefined) ?? []);
        case 'boolean':
          return wire ?? false;
        case 'int32':
        case 'float32':
        case 'float64':
          return wire ?? 0;
        default:
          return wire ?? '';
      }
    case 'enum': {
      const desc = contract.types[type.name];
      if (desc?.kind !== 'enum') throw new Error(`contract invariant: ${type.name} is not an enum`);
      const v = desc.values.find((x) => x.proto === wire);
      if (!v) {
        out.push({ path, message: `must be one of ${desc.values.map((x) => x.name).join(', ')}` });
        return undefined;
      }
      return v.name;
    }
    case 'object':
      return objectFromWire(contract, objectDesc(contract, type.name).fields, (wire ?? {}) as Record<string, unknown>, asType(slot), path, out, mode);
    case 'union': {
      const union = unionDesc(contract, type.name);
      const record = (wire ?? {}) as Record<string, unknown>;
      const member = union.members.find((m) => record[m.proto] !== undefined && record[m.proto] !== null);
      if (!member) {
        out.push({ path, message: `must be one of ${union.members.map((m) => m.tag).join(', ')}` });
        return {};
      }
      const field = asType(slot).fields[member.proto]!;
      const body = objectFromWire(contract, objectDesc(contract, member.type).fields, record[member.proto] as Record<string, unknown>, asType(fieldSlot(field)), path, out, mode);
      return { [union.discriminator]: member.tag, ...body };
    }
  }
}

export function objectFromWire(
  contract: ContractDescriptor,
  fields: readonly FieldDesc[],
  wire: Record<string, unknown>,
  message: protobuf.Type,
  path: string,
  out: Violation[],
  mode: 'input' | 'output',
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const f of fields) {
    if (mode === 'input' && f.readOnly) continue;
    const field = message.fields[f.proto];
    if (!field) continue;
    const raw = wire[f.proto];
    const defaulted = mode === 'input' && f.default !== undefined;
    const present = Object.prototype.hasOwnProperty.call(wire, f.proto) && raw !== null;
    // proto3 has presence only for `optional` fields (optional and defaulted ones); others are their zero value.
    if (!present && (f.optional || defaulted)) continue;
    value[f.name] = fromWire(contract, f.type, present ? wire[f.proto] : undefined, fieldSlot(field), childPath(path, f.name), out, mode);
  }
  if (mode === 'input') applyInputDefaults(contract, fields, value);
  return value;
}

function toProtoValue(value: JsonValue): Record<string, unknown> {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toProtoValue) } };
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(fields, key, toProtoValue(value[key]!));
  return { structValue: { fields } };
}

function fromProtoValue(wire: unknown): JsonValue {
  const v = (wire ?? {}) as Record<string, unknown>;
  if (v.numberValue !== undefined) return v.numberValue as number;
  if (v.stringValue !== undefined) return v.stringValue as string;
  if (v.boolValue !== undefined) return v.boolValue as boolean;
  if (v.listValue !== undefined) return (((v.listValue as { values?: unknown[] }).values) ?? []).map(fromProtoValue);
  if (v.structValue !== undefined) {
    const fields = ((v.structValue as { fields?: Record<string, unknown> }).fields ?? {}) as Record<string, unknown>;
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(fields)) setOwn(out, key, fromProtoValue(fields[key]));
    return out;
  }
  return null;
}
