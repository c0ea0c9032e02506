// Contract scalars in GraphQL. Int, Float, String and Boolean are built in;
// everything GraphQL's own scalars would carry inexactly (64-bit integers,
// decimals) or without a stated format gets a custom scalar whose description
// says how its values travel in JSON, with @specifiedBy where a spec exists.
import { GraphQLBoolean, GraphQLFloat, GraphQLInt, GraphQLScalarType, GraphQLString } from 'graphql';
import type { ScalarName } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';

/** The custom scalars apigen may declare, in the order they are printed. */
export const CUSTOM_SCALAR_NAMES = ['Int64', 'Decimal', 'Date', 'DateTime', 'UUID', 'Bytes', 'JSON'] as const;
export type CustomScalarName = (typeof CUSTOM_SCALAR_NAMES)[number];

interface CustomScalarSpec {
  description: string;
  specifiedByURL?: string;
}

const CUSTOM_SCALARS: Record<CustomScalarName, CustomScalarSpec> = {
  Int64: {
    description:
      'A signed 64-bit integer (the whole range), carried as a JSON string of decimal digits, e.g. "-9223372036854775808", so that no client loses precision.',
  },
  Decimal: {
    description:
      'An exact decimal number of any precision, carried as a JSON string such as "12.50" or "-3"; never a binary floating-point number.',
  },
  Date: {
    description: 'A calendar date, carried as an RFC 3339 full-date string, e.g. "2024-02-29".',
    specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  },
  DateTime: {
    description:
      'An instant, carried as an RFC 3339 date-time string with a UTC offset and at least millisecond precision, e.g. "2024-02-29T23:59:59.999+05:30".',
    specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  },
  UUID: {
    description: 'A UUID, carried as its canonical lower-case hyphenated string, e.g. "123e4567-e89b-12d3-a456-426614174000".',
    specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc9562',
  },
  Bytes: {
    description: 'Any byte sequence, carried as a standard padded base64 string.',
    specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc4648#section-4',
  },
  JSON: {
    description:
      'Any JSON value (object, array, string, number, boolean or null), carried as itself. Fields of this type are always nullable, because null is one of its values.',
    specifiedByURL: 'https://ecma-international.org/publications-and-standards/standards/ecma-404/',
  },
};

/**
 * Builds the declaration of one custom scalar, named `printed` (`Date_` when a
 * contract type is named `Date`). Values pass through unchanged (the default serializers).
 */
export function buildCustomScalar(name: CustomScalarName, printed: string = name): GraphQLScalarType {
  const spec = CUSTOM_SCALARS[name];
  return new GraphQLScalarType({ name: printed, description: spec.description, specifiedByURL: spec.specifiedByURL ?? null });
}

export type ScalarMapping = { builtIn: GraphQLScalarType } | { custom: CustomScalarName };

/** Which GraphQL scalar carries a contract scalar. */
export function mapScalar(scalar: ScalarName): ScalarMapping {
  switch (scalar) {
    case 'string':
      return { builtIn: GraphQLString };
    case 'boolean':
      return { builtIn: GraphQLBoolean };
    case 'int32':
      return { builtIn: GraphQLInt };
    case 'float32':
    case 'float64':
      return { builtIn: GraphQLFloat };
    case 'int64':
      return { custom: 'Int64' };
    case 'decimal':
      return { custom: 'Decimal' };
    case 'bytes':
      return { custom: 'Bytes' };
    case 'date':
      return { custom: 'Date' };
    case 'datetime':
      return { custom: 'DateTime' };
    case 'uuid':
      return { custom: 'UUID' };
    case 'json':
      return { custom: 'JSON' };
    default:
      return assertNever(scalar, 'scalar');
  }
}
