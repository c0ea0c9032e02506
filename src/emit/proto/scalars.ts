// Contract scalars as proto types. Where proto has no exact type (decimal,
// date, uuid) the value travels as a string in a documented format, so that
// nothing is lost: never a binary float for a decimal.
import { assertNever, type ScalarName, type TypeRef } from '../../contract/model.js';

export const TIMESTAMP_IMPORT = 'google/protobuf/timestamp.proto';
export const STRUCT_IMPORT = 'google/protobuf/struct.proto';

export interface ProtoScalar {
  type: string;
  /** The well-known file the type needs. */
  import?: string;
  /** How the string carries the value, where that is not obvious from the type. */
  note?: string;
}

export function protoScalar(scalar: ScalarName): ProtoScalar {
  switch (scalar) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'bool' };
    case 'int32':
      return { type: 'int32' };
    case 'int64':
      return { type: 'int64' };
    case 'float32':
      return { type: 'float' };
    case 'float64':
      return { type: 'double' };
    case 'decimal':
      return { type: 'string', note: 'decimal: an exact decimal number as a string, e.g. "-12.50" (pattern ^-?[0-9]+(\\.[0-9]+)?$).' };
    case 'bytes':
      return { type: 'bytes' };
    case 'date':
      return { type: 'string', note: 'date: an RFC 3339 full-date as a string, e.g. "2024-02-29".' };
    case 'datetime':
      return { type: 'google.protobuf.Timestamp', import: TIMESTAMP_IMPORT };
    case 'uuid':
      return { type: 'string', note: 'uuid: a UUID in canonical form as a string (RFC 9562).' };
    case 'json':
      return { type: 'google.protobuf.Value', import: STRUCT_IMPORT };
    default:
      return assertNever(scalar, 'scalar');
  }
}

/**
 * How the file refers to a well-known type. protoc resolves the first part of
 * `google.protobuf.Timestamp` from the innermost scope outwards, so in a
 * package such as `acme.google.v1` it would find `acme.google` first and fail;
 * only there is the fully qualified `.google.protobuf.Timestamp` needed.
 */
export function wellKnownReference(type: string, protoPackage: string): string {
  const shadowed = protoPackage.split('.').slice(1).includes('google');
  return shadowed && type.startsWith('google.') ? `.${type}` : type;
}

/** PascalCase word for a scalar in generated wrapper names (Int32List, DecimalMap). */
export function scalarWord(scalar: ScalarName): string {
  switch (scalar) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Bool';
    case 'int32':
      return 'Int32';
    case 'int64':
      return 'Int64';
    case 'float32':
      return 'Float';
    case 'float64':
      return 'Double';
    case 'decimal':
      return 'Decimal';
    case 'bytes':
      return 'Bytes';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Timestamp';
    case 'uuid':
      return 'Uuid';
    case 'json':
      return 'Value';
    default:
      return assertNever(scalar, 'scalar');
  }
}

/** How string-encoded scalars are written, once per scalar the field's type holds. */
export function scalarNotes(ref: TypeRef): string[] {
  const notes: string[] = [];
  const visit = (r: TypeRef): void => {
    switch (r.kind) {
      case 'scalar': {
        const note = protoScalar(r.scalar).note;
        if (note && !notes.includes(note)) notes.push(note);
        return;
      }
      case 'object':
      case 'enum':
      case 'union':
        return;
      case 'list':
        return visit(r.element);
      case 'map':
        return visit(r.value);
      default:
        return assertNever(r, 'type reference');
    }
  };
  visit(ref);
  return notes;
}
