// The `graphql` target: one GraphQL SDL file, schema.graphql.
import { oncePerModel } from '../once-per-model.js';
import type { Emitter } from '../types.js';
import { printGraphqlSchema } from './schema.js';

export const graphqlEmitter: Emitter = {
  target: 'graphql',
  description: 'GraphQL schema (SDL)',
  emit: oncePerModel((model, ctx) => [{ path: 'schema.graphql', content: printGraphqlSchema(model, ctx) }]),
};
