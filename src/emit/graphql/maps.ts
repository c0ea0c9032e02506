// GraphQL has no map type. A `map<string, V>` becomes a list of entries
// `{ key: String!, value: V! }` (keys unique, in the map's order), which keeps
// the value type checked by GraphQL, unlike a JSON scalar would. Entry types
// are named after the value type: map<string, Book> -> StringBookMapEntry,
// map<string, string[]> -> StringStringListMapEntry; in input position the
// same name with `Input` appended.
import { GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType, GraphQLString } from 'graphql';
import type { Model, TypeRef } from '../../contract/model.js';
import { assertNever, findType } from '../../contract/model.js';
import type { TypeCatalog } from './catalog.js';
import { mapScalar } from './scalars.js';

export function nameMapEntry(model: Model, value: TypeRef): string {
  return `String${nameValue(model, value)}MapEntry`;
}

function nameValue(model: Model, ref: TypeRef): string {
  switch (ref.kind) {
    case 'scalar': {
      const mapping = mapScalar(ref.scalar);
      return 'builtIn' in mapping ? mapping.builtIn.name : mapping.custom;
    }
    case 'object':
    case 'enum':
    case 'union':
      return findType(model, ref.name).names.graphql;
    case 'list':
      return `${nameValue(model, ref.element)}List`;
    case 'map':
      return `String${nameValue(model, ref.value)}Map`;
    default:
      return assertNever(ref, 'type reference');
  }
}

function describeEntry(model: Model, value: TypeRef): string {
  return `One entry of a map from String to ${nameValue(model, value)}. GraphQL has no map type: a map is a list of entries whose keys are unique.`;
}

export function buildMapEntryType(catalog: TypeCatalog, value: TypeRef): GraphQLObjectType {
  return new GraphQLObjectType({
    name: nameMapEntry(catalog.model, value),
    description: describeEntry(catalog.model, value),
    fields: () => ({
      key: { type: new GraphQLNonNull(GraphQLString) },
      value: { type: catalog.outputType(value, false) },
    }),
  });
}

export function buildMapEntryInputType(catalog: TypeCatalog, value: TypeRef): GraphQLInputObjectType {
  return new GraphQLInputObjectType({
    name: `${nameMapEntry(catalog.model, value)}Input`,
    description: describeEntry(catalog.model, value),
    fields: () => ({
      key: { type: new GraphQLNonNull(GraphQLString) },
      value: { type: catalog.inputType(value, false) },
    }),
  });
}
