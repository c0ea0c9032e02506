// Contract scalars as XSD built-in types (the cross-style table in the brief).
// uuid and datetime (an xs:dateTime with a time zone) have named simpleTypes; the catalog names them.
import { assertNever, type ScalarName } from '../../contract/model.js';

/** The built-in XSD type of a scalar; undefined for uuid, which has a named type. */
export function builtInType(scalar: ScalarName): string | undefined {
  switch (scalar) {
    case 'string':
      return 'xs:string';
    case 'boolean':
      return 'xs:boolean';
    case 'int32':
      return 'xs:int';
    case 'int64':
      return 'xs:long';
    case 'float32':
      return 'xs:float';
    case 'float64':
      return 'xs:double';
    case 'decimal':
      return 'xs:decimal';
    case 'bytes':
      return 'xs:base64Binary';
    case 'date':
      return 'xs:date';
    case 'datetime':
      return 'xs:dateTime';
    case 'uuid':
      return undefined;
    case 'json':
      // Any JSON value, as its JSON text.
      return 'xs:string';
    default:
      return assertNever(scalar, 'scalar');
  }
}

/** The scalar's word in generated type names: StringList, DateTimeMap, UuidEntry. */
export function scalarWord(scalar: ScalarName): string {
  switch (scalar) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'int32':
      return 'Int32';
    case 'int64':
      return 'Int64';
    case 'float32':
      return 'Float32';
    case 'float64':
      return 'Float64';
    case 'decimal':
      return 'Decimal';
    case 'bytes':
      return 'Bytes';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'DateTime';
    case 'uuid':
      return 'Uuid';
    case 'json':
      return 'Json';
    default:
      return assertNever(scalar, 'scalar');
  }
}

/** A UUID in its canonical textual form; either case of hex digit is accepted. */
export const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** An xs:dateTime lexical form that ends in a time zone (XSD patterns match the whole value). */
export const DATETIME_WITH_OFFSET_PATTERN = '.+T[^Z+\\-]+(Z|[+\\-][0-9]{2}:[0-9]{2})';
