// Enums: the model's `_UNSPECIFIED = 0`, prefixed values with their numbers,
// and reserved numbers and names of removed values.
import type { EnumType } from '../../contract/model.js';
import type { ProtoEnum, ProtoEnumValue } from './ast.js';
import { describeDeprecation, printComments } from './comments.js';

export function printEnum(type: EnumType): ProtoEnum {
  const zero: ProtoEnumValue = {
    name: type.protoZeroName,
    number: 0,
    comments: printComments(['Not set; never a valid value.']),
    options: [],
  };
  return {
    kind: 'enum',
    name: type.names.proto,
    comments: printComments([type.description, describeDeprecation(type.deprecated)]),
    deprecated: type.deprecated !== undefined,
    reserved: { numbers: type.reservedNumbers, names: type.reservedNames },
    values: [
      zero,
      ...type.values.map((v) => ({
        name: v.names.proto,
        number: v.number,
        comments: printComments([v.description, describeDeprecation(v.deprecated)]),
        options: v.deprecated ? [{ name: 'deprecated', value: 'true' }] : [],
      })),
    ],
  };
}
