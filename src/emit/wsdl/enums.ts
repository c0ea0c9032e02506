// Enums as xs:string restricted to an xs:enumeration per value, each value
// with its own documentation and deprecation.
import type { EnumType } from '../../contract/model.js';
import type { XsdSimpleType } from './ast.js';
import { describeDeprecation, documentation } from './documentation.js';

export function printEnumType(type: EnumType): XsdSimpleType {
  return {
    kind: 'simpleType',
    name: type.names.xsd,
    documentation: documentation(type.description, describeDeprecation(type.deprecated)),
    restriction: {
      base: 'xs:string',
      facets: type.values.map((v) => ({
        name: 'enumeration',
        value: v.names.xml,
        documentation: documentation(v.description, describeDeprecation(v.deprecated)),
      })),
    },
  };
}
