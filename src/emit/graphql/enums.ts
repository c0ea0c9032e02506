// Contract enums map one to one: values as written, descriptions, @deprecated.
import { GraphQLEnumType } from 'graphql';
import type { GraphQLEnumValueConfigMap } from 'graphql';
import type { EnumType } from '../../contract/model.js';
import { deprecationReason, describeDeprecation, joinParagraphs } from './descriptions.js';

export function buildEnumType(type: EnumType): GraphQLEnumType {
  const values: GraphQLEnumValueConfigMap = {};
  for (const v of type.values) {
    values[v.names.graphql] = {
      value: v.name,
      description: v.description,
      deprecationReason: deprecationReason(v.deprecated),
    };
  }
  return new GraphQLEnumType({
    name: type.names.graphql,
    description: joinParagraphs(type.description, describeDeprecation(type.deprecated)),
    values,
  });
}
