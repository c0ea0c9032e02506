// Object types: the output form `Book` and the input form `BookInput`
// (read-only fields left out), and the field and argument configs that
// operations, events and error details share.
import type { GraphQLFieldConfigMap, GraphQLInputFieldConfig, GraphQLInputFieldConfigMap } from 'graphql';
import { GraphQLBoolean, GraphQLInputObjectType, GraphQLObjectType, isNullableType } from 'graphql';
import type { Field, ObjectType } from '../../contract/model.js';
import type { TypeCatalog } from './catalog.js';
import { toGraphqlDefault } from './defaults.js';
import {
  deprecationReason,
  describeConstraints,
  describeDefault,
  describeDeprecation,
  describeOutputField,
  joinParagraphs,
} from './descriptions.js';
import { inputFields } from './reach.js';

export function buildObjectType(catalog: TypeCatalog, type: ObjectType): GraphQLObjectType {
  const inputName = catalog.reach.input.has(type.name) ? type.names.graphqlInput : undefined;
  return new GraphQLObjectType({
    name: type.names.graphql,
    description: joinParagraphs(type.description, describeDeprecation(type.deprecated)),
    fields: () => buildOutputFields(catalog, type.fields, inputName),
  });
}

export function buildInputObjectType(catalog: TypeCatalog, type: ObjectType): GraphQLInputObjectType {
  const left = type.fields.filter((f) => f.readOnly).map((f) => `\`${f.names.graphql}\``);
  const origin =
    left.length > 0
      ? `Input form of \`${type.names.graphql}\`, without its read-only fields (${left.join(', ')}).`
      : `Input form of \`${type.names.graphql}\`.`;
  return new GraphQLInputObjectType({
    name: type.names.graphqlInput,
    description: joinParagraphs(type.description, origin, describeDeprecation(type.deprecated)),
    fields: () => buildInputFields(catalog, inputFields(type.fields)),
  });
}

/** Output fields in contract order; `inputName` names the input form that lacks the read-only ones. */
export function buildOutputFields(catalog: TypeCatalog, fields: Field[], inputName?: string): GraphQLFieldConfigMap<unknown, unknown> {
  const out: GraphQLFieldConfigMap<unknown, unknown> = {};
  for (const f of fields) {
    out[f.names.graphql] = {
      type: catalog.outputType(f.type, f.optional),
      description: describeOutputField(f, inputName),
      deprecationReason: deprecationReason(f.deprecated),
    };
  }
  // GraphQL types need at least one field; the contract allows an empty object.
  if (fields.length === 0) out._ = { type: GraphQLBoolean, description: 'Always null: this type has no fields.' };
  return out;
}

export function buildInputFields(catalog: TypeCatalog, fields: Field[]): GraphQLInputFieldConfigMap {
  const out: GraphQLInputFieldConfigMap = {};
  for (const f of fields) out[f.names.graphql] = buildInputValue(catalog, f);
  if (fields.length === 0) {
    out._ = { type: GraphQLBoolean, description: 'Ignored: every field of this type is read-only, and GraphQL input types need a field.' };
  }
  return out;
}

/**
 * An input field or argument. A default becomes the GraphQL default value; a
 * default no GraphQL literal can carry (a JSON object) makes the value
 * omittable and is stated in the description. GraphQL forbids @deprecated on
 * required inputs, so their deprecation goes into the description.
 */
export function buildInputValue(catalog: TypeCatalog, field: Field): GraphQLInputFieldConfig {
  const literal = field.hasDefault ? toGraphqlDefault(catalog.model, field.default, field.type) : undefined;
  const unprintedDefault = field.hasDefault && literal === undefined;
  const type = catalog.inputType(field.type, field.optional || unprintedDefault);
  const deprecatable = isNullableType(type) || literal !== undefined;
  return {
    type,
    defaultValue: literal?.value,
    description: joinParagraphs(
      field.description,
      describeConstraints(field.constraints),
      unprintedDefault ? describeDefault(field.default) : undefined,
      deprecatable ? undefined : describeDeprecation(field.deprecated),
    ),
    deprecationReason: deprecatable ? deprecationReason(field.deprecated) : undefined,
  };
}
