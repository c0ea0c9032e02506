// Type expressions as schemas: named types by reference, lists as arrays,
// maps as objects with additionalProperties.
import { assertNever, findType, type Model, type TypeRef } from '../../contract/model.js';
import { printScalarSchema } from './scalars.js';
import { schemaRef, type Schema } from './spec.js';

export function printTypeSchema(model: Model, type: TypeRef): Schema {
  switch (type.kind) {
    case 'scalar':
      return printScalarSchema(type.scalar);
    case 'object':
    case 'enum':
    case 'union':
      return schemaRef(findType(model, type.name).names.openapi);
    case 'list':
      return { type: 'array', items: printTypeSchema(model, type.element) };
    case 'map':
      return { type: 'object', additionalProperties: printTypeSchema(model, type.value) };
    default:
      return assertNever(type, 'type reference');
  }
}
