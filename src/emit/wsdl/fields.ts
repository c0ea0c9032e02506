// A field as an element of a sequence: its type and occurrence from the
// catalog, its constraints as facets of an anonymous simpleType, and the rest
// (read-only, deprecation, default, JSON text) in its documentation.
import type { Field } from '../../contract/model.js';
import type { XsdElement } from './ast.js';
import type { XsdCatalog } from './catalog.js';
import { printConstraints } from './constraints.js';
import { describeDefault, describeDeprecation, documentation, innermost } from './documentation.js';
import type { Form } from './reach.js';

export function printFieldElement(field: Field, form: Form, catalog: XsdCatalog): XsdElement {
  // A defaulted list is wrapped like an optional one, so that an empty list stays distinct from an absent one (which gets the default).
  const shape = catalog.shapeOf(field.type, field.optional || field.hasDefault, form);
  const holdsValue = field.type.kind === 'scalar' || (shape.repeated && field.type.kind === 'list' && field.type.element.kind === 'scalar');
  const constraints = printConstraints(field.constraints, holdsValue, shape.repeated);
  let minOccurs = shape.minOccurs;
  let maxOccurs = shape.maxOccurs;
  if (shape.repeated) {
    minOccurs = field.constraints.minItems ?? minOccurs;
    maxOccurs = field.constraints.maxItems ?? maxOccurs;
  }
  // A client may leave out a defaulted field; the server applies the default.
  if (field.hasDefault) minOccurs = 0;
  const scalar = innermost(field.type);
  return {
    name: field.names.xml,
    ...(constraints.facets.length ? { restriction: { base: shape.type, facets: constraints.facets } } : { type: shape.type }),
    minOccurs,
    maxOccurs,
    documentation: documentation(
      field.description,
      field.readOnly && form === 'output' ? 'Read-only: set by the server, never sent in requests.' : undefined,
      describeDeprecation(field.deprecated),
      field.hasDefault ? describeDefault(field.type, field.default) : undefined,
      scalar.kind === 'scalar' && scalar.scalar === 'json' ? 'Any JSON value, as its JSON text.' : undefined,
      constraints.unchecked,
    ),
  };
}
