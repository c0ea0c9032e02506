// The whole schema: root types, then the contract's types in declaration
// order (output form, then input form), inline event payloads, error details,
// map entries and the custom scalars that were used. The GraphQLSchema is
// built as data and printed by graphql-js, which also escapes descriptions.
import type { GraphQLFieldConfigMap, GraphQLNamedType } from 'graphql';
import { GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, printSchema } from 'graphql';
import type { Model } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';
import { graphqlOwnName } from '../../contract/names.js';
import type { EmitContext } from '../types.js';
import { describeAuthSchemes } from './auth.js';
import { TypeCatalog } from './catalog.js';
import { joinParagraphs } from './descriptions.js';
import { buildErrorDetailType, errorsWithDetail } from './errors.js';
import { buildEventField, buildEventPayloadType } from './events.js';
import { buildOperationField, warnLeftOut } from './operations.js';
import { computeReach } from './reach.js';

export function printGraphqlSchema(model: Model, ctx: EmitContext): string {
  // printSchema indents the blank lines of multi-line descriptions too; a block
  // string reads whitespace-only lines as empty, so dropping that indentation
  // keeps every description's value and spares reviewers trailing whitespace.
  return `${printSchema(buildGraphqlSchema(model, ctx)).replace(/^[ \t]+$/gm, '')}\n`;
}

export function buildGraphqlSchema(model: Model, ctx: EmitContext): GraphQLSchema {
  const catalog = new TypeCatalog(model, computeReach(model));

  const contractTypes: GraphQLNamedType[] = [];
  for (const t of model.types) {
    if (t.kind === 'enum') {
      contractTypes.push(catalog.namedOutput(t.name));
      continue;
    }
    if (catalog.reach.output.has(t.name)) contractTypes.push(catalog.namedOutput(t.name));
    if (catalog.reach.input.has(t.name)) contractTypes.push(catalog.namedInput(t.name));
  }
  const eventPayloads = new Map<string, GraphQLObjectType>();
  for (const event of model.events) {
    const payload = buildEventPayloadType(catalog, event);
    if (payload) eventPayloads.set(event.name, payload);
  }
  const errorDetails = errorsWithDetail(model).map((e) => buildErrorDetailType(catalog, e));
  // Resolved before the root fields, so that map entry types follow the order of the types that use them.
  catalog.resolveAll([...contractTypes, ...eventPayloads.values(), ...errorDetails]);

  const query: GraphQLFieldConfigMap<unknown, unknown> = {};
  const mutation: GraphQLFieldConfigMap<unknown, unknown> = {};
  const subscription: GraphQLFieldConfigMap<unknown, unknown> = {};
  for (const op of model.operations) {
    if (!op.styles.includes('graphql')) {
      warnLeftOut(ctx, op);
      continue;
    }
    switch (op.stream) {
      case 'unary':
        (op.kind === 'query' ? query : mutation)[op.names.graphql] = buildOperationField(catalog, op);
        break;
      case 'server':
        subscription[op.names.graphql] = buildOperationField(catalog, op);
        break;
      case 'client':
      case 'bidi':
        throw new Error(`model invariant: ${op.name} streams its input but is carried by graphql`);
      default:
        assertNever(op.stream, 'stream mode');
    }
  }
  for (const event of model.events) {
    subscription[event.names.graphql] = buildEventField(catalog, event, eventPayloads.get(event.name));
  }
  if (Object.keys(query).length === 0) {
    // GraphQL requires a Query type; a contract of mutations and streams has none.
    query._version = {
      type: new GraphQLNonNull(GraphQLString),
      description: `The API version, "${model.service.version}". Present because GraphQL requires a query field and this contract has no query operation.`,
    };
  }
  // A contract type named Query, Mutation or Subscription keeps its name; the root takes `Query_` (printed in a `schema` block).
  const rootName = (name: string) => graphqlOwnName(name, catalog.taken);
  const roots = {
    query: new GraphQLObjectType({ name: rootName('Query'), fields: query }),
    mutation: Object.keys(mutation).length > 0 ? new GraphQLObjectType({ name: rootName('Mutation'), fields: mutation }) : undefined,
    subscription:
      Object.keys(subscription).length > 0 ? new GraphQLObjectType({ name: rootName('Subscription'), fields: subscription }) : undefined,
  };
  const rootTypes = [roots.query, roots.mutation, roots.subscription].filter((r): r is GraphQLObjectType => r !== undefined);
  catalog.resolveAll(rootTypes);

  return new GraphQLSchema({
    description: describeService(model),
    ...roots,
    types: [...rootTypes, ...contractTypes, ...eventPayloads.values(), ...errorDetails, ...catalog.mapEntries, ...catalog.usedScalars()],
  });
}

function describeService(model: Model): string {
  const s = model.service;
  const endpoints = s.servers.map((server) => `- ${server.url.replace(/\/+$/, '')}/graphql${server.description ? ` (${server.description})` : ''}`);
  return joinParagraphs(
    `${s.title}, version ${s.version}.`,
    s.description,
    [
      'Queries and mutations use GraphQL over HTTP; subscriptions use graphql-ws (WebSocket) at the same path:',
      ...endpoints,
    ].join('\n'),
    describeAuthSchemes(model),
  )!;
}
