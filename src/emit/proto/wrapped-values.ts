// A request or response that carries one value (an output, a stream element,
// an event payload) holds it in a single field numbered 1, named after its
// type: `book` for Book, `items` for a list, `entries` for a map, `value` for
// a scalar.
import { assertNever, findType, type Model, type TypeRef } from '../../contract/model.js';
import { toSnakeCase } from '../../contract/names.js';
import type { ProtoField } from './ast.js';
import type { ProtoCatalog } from './catalog.js';
import { printComments } from './comments.js';
import { scalarNotes } from './scalars.js';

export function valueFieldName(model: Model, ref: TypeRef): string {
  switch (ref.kind) {
    case 'scalar':
      return 'value';
    case 'object':
    case 'enum':
    case 'union':
      return toSnakeCase(findType(model, ref.name).names.proto);
    case 'list':
      return 'items';
    case 'map':
      return 'entries';
    default:
      return assertNever(ref, 'type reference');
  }
}

export function printValueField(
  model: Model,
  catalog: ProtoCatalog,
  ref: TypeRef,
  optional: boolean,
  description?: string,
): ProtoField {
  return {
    comments: printComments([description, ...scalarNotes(ref)]),
    ...catalog.shapeOf(ref, optional),
    name: valueFieldName(model, ref),
    number: 1,
    options: [],
  };
}
