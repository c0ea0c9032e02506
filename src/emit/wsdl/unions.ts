// Unions as a complexType with an xs:choice of one element per member, named
// like the member's JSON/GraphQL field (book for Book). The element present
// tells the member, so the JSON discriminator property has no XML counterpart.
import { type UnionType } from '../../contract/model.js';
import type { XsdComplexType } from './ast.js';
import type { XsdCatalog } from './catalog.js';
import { describeDeprecation, documentation } from './documentation.js';
import type { Form } from './reach.js';

export function printUnionType(type: UnionType, form: Form, catalog: XsdCatalog): XsdComplexType {
  return {
    kind: 'complexType',
    name: catalog.typeName(type, form),
    documentation: documentation(
      type.description,
      describeDeprecation(type.deprecated),
      form === 'input' ? `${type.names.xsd} as sent in requests: its members are in their input form.` : undefined,
      `Exactly one member element is present; its name tells which type the value is (JSON's "${type.discriminator}" property).`,
    ),
    group: 'choice',
    elements: type.members.map((m) => ({
      name: m.names.xml,
      type: catalog.shapeOf({ kind: 'object', name: m.type }, false, form).type,
      minOccurs: 1,
      maxOccurs: 1,
      documentation: [],
    })),
  };
}
