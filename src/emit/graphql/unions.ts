// Unions: a GraphQL union in output position (the member is told by
// __typename, whose value is the contract's discriminator value), and a
// @oneOf input object in input position (exactly one member field is set).
import type { GraphQLInputFieldConfigMap, GraphQLInputType } from 'graphql';
import { GraphQLInputObjectType, GraphQLObjectType, GraphQLUnionType } from 'graphql';
import type { UnionType } from '../../contract/model.js';
import type { TypeCatalog } from './catalog.js';
import { describeDeprecation, joinParagraphs } from './descriptions.js';

export function buildUnionType(catalog: TypeCatalog, type: UnionType): GraphQLUnionType {
  return new GraphQLUnionType({
    name: type.names.graphql,
    description: joinParagraphs(
      type.description,
      `The JSON discriminator \`${type.discriminator}\` is \`__typename\` here.`,
      describeDeprecation(type.deprecated),
    ),
    types: () =>
      type.members.map((m) => {
        const member = catalog.namedOutput(m.type);
        if (!(member instanceof GraphQLObjectType)) throw new Error(`model invariant: union member ${m.type} is not an object type`);
        return member;
      }),
  });
}

export function buildOneOfInputType(catalog: TypeCatalog, type: UnionType): GraphQLInputObjectType {
  return new GraphQLInputObjectType({
    name: type.names.graphqlInput,
    description: joinParagraphs(
      type.description,
      `Input form of \`${type.names.graphql}\`: set exactly one field, named after the member type.`,
      describeDeprecation(type.deprecated),
    ),
    isOneOf: true,
    fields: () => {
      const fields: GraphQLInputFieldConfigMap = {};
      for (const m of type.members) fields[m.names.graphql] = { type: catalog.namedInput(m.type) as GraphQLInputType };
      return fields;
    },
  });
}
