// Scalars in the JSON wire encoding every style shares: int64 and decimal are
// JSON strings (exact beyond 2^53 and beyond binary floats), bytes are padded
// base64, times are RFC 3339, json is any JSON value.
import { assertNever, type ScalarName } from '../../contract/model.js';
import type { Schema } from './spec.js';

/**
 * The int64 text the servers accept, bounded to the 64-bit range digit by
 * digit (a JSON Schema validator cannot compare the string form as a number):
 * optional leading zeros, then at most 9223372036854775807, or after `-` at
 * most 9223372036854775808.
 */
export const INT64_PATTERN = `^(?:0*${atMost('9223372036854775807')}|-0*${atMost('9223372036854775808')})$`;

/** A regular expression for the decimal numerals from 0 to `max` (no leading zeros beyond the first digit's own). */
function atMost(max: string): string {
  const alternatives = [`[0-9]{1,${max.length - 1}}`];
  for (let i = 0; i < max.length; i++) {
    const digit = Number(max[i]);
    if (digit === 0) continue;
    const rest = max.length - i - 1;
    alternatives.push(`${max.slice(0, i)}${digit === 1 ? '0' : `[0-${digit - 1}]`}${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  alternatives.push(max);
  return `(?:${alternatives.join('|')})`;
}
/** Standard base64 with padding, as the servers accept it (RFC 4648 section 4). */
export const BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
export const DECIMAL_PATTERN = '^-?[0-9]+(\\.[0-9]+)?$';

export function printScalarSchema(scalar: ScalarName): Schema {
  switch (scalar) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int32':
      // format int32 is advisory in JSON Schema; the bounds make the range checkable.
      return { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 };
    case 'int64':
      return { type: 'string', format: 'int64', pattern: INT64_PATTERN };
    case 'float32':
      return { type: 'number', format: 'float' };
    case 'float64':
      return { type: 'number', format: 'double' };
    case 'decimal':
      return { type: 'string', format: 'decimal', pattern: DECIMAL_PATTERN };
    case 'bytes':
      // contentEncoding is an annotation; the pattern makes "standard, padded base64" checkable.
      return { type: 'string', contentEncoding: 'base64', pattern: BASE64_PATTERN };
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
