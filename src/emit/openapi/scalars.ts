// Scalars in the JSON wire encoding every style shares: int64 and decimal are
// JSON strings (exact beyond 2^53 and beyond binary floats), bytes are padded
// base64, times are RFC 3339, json is any JSON value.
import { assertNever, type ScalarName } from '../../contract/model.js';
import type { Schema } from './spec.js';

export const INT64_PATTERN = '^-?[0-9]+$';
export const DECIMAL_PATTERN = '^-?[0-9]+(\\.[0-9]+)?$';

export function printScalarSchema(scalar: ScalarName): Schema {
  switch (scalar) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int32':
      return { type: 'integer', format: 'int32' };
    case 'int64':
      return { type: 'string', format: 'int64', pattern: INT64_PATTERN };
    case 'float32':
      return { type: 'number', format: 'float' };
    case 'float64':
      return { type: 'number', format: 'double' };
    case 'decimal':
      return { type: 'string', format: 'decimal', pattern: DECIMAL_PATTERN };
    case 'bytes':
      return { type: 'string', contentEncoding: 'base64' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'json':
      // Any JSON value, null included: the empty schema.
      return {};
    default:
      return assertNever(scalar, 'scalar');
  }
}
