// Object types as complexTypes with a sequence of field elements. The input
// variant (BookInput) leaves out the read-only fields and holds the input
// variants of the types it reaches.
import type { ObjectType } from '../../contract/model.js';
import type { XsdComplexType } from './ast.js';
import type { XsdCatalog } from './catalog.js';
import { describeDeprecation, documentation } from './documentation.js';
import { printFieldElement } from './fields.js';
import { requestFields, type Form } from './reach.js';

export function printObjectType(type: ObjectType, form: Form, catalog: XsdCatalog): XsdComplexType {
  const fields = form === 'input' ? requestFields(type.fields) : type.fields;
  return {
    kind: 'complexType',
    name: catalog.typeName(type, form),
    documentation: documentation(type.description, describeDeprecation(type.deprecated), form === 'input' ? describeInputForm(type) : undefined),
    group: 'sequence',
    elements: fields.map((f) => printFieldElement(f, form, catalog)),
  };
}

function describeInputForm(type: ObjectType): string {
  const readOnly = type.fields.filter((f) => f.readOnly).map((f) => f.names.xml);
  if (readOnly.length === 0) return `${type.names.xsd} as sent in requests: the types it holds are in their input form.`;
  return `${type.names.xsd} as sent in requests: without the read-only ${readOnly.length === 1 ? 'field' : 'fields'} ${readOnly.join(', ')}.`;
}
