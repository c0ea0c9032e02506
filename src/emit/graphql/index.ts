// The `graphql` target: one GraphQL SDL file, schema.graphql.
import type { Emitter } from '../types.js';
import { printGraphqlSchema } from './schema.js';

export const graphqlEmitter: Emitter = {
  target: 'graphql',
  description: 'GraphQL schema (SDL)',
  emit(model, ctx) {
    return [{ path: 'schema.graphql', content: printGraphqlSchema(model, ctx) }];
  },
};
