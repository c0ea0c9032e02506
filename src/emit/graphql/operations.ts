// Operations become root fields: queries on Query, mutations on Mutation,
// server streams on Subscription (one payload per stream element). Inline
// input fields become one argument each; a named input type (`input: Book`)
// becomes a single argument `input: BookInput!`, as GraphQL mutations usually
// take it. An operation without output returns `Boolean!`, always true.
import type { GraphQLFieldConfig, GraphQLFieldConfigArgumentMap, GraphQLInputType, GraphQLOutputType } from 'graphql';
import { GraphQLBoolean, GraphQLNonNull } from 'graphql';
import type { Operation } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';
import { describeOperationAuth } from './auth.js';
import type { EmitContext } from '../types.js';
import type { TypeCatalog } from './catalog.js';
import { deprecationReason, joinParagraphs } from './descriptions.js';
import { describeOperationErrors } from './errors.js';
import { buildInputValue } from './objects.js';
import { inputFields } from './reach.js';

export function buildOperationField(catalog: TypeCatalog, op: Operation): GraphQLFieldConfig<unknown, unknown> {
  const result = buildOperationResult(catalog, op);
  return {
    type: result.type,
    args: buildOperationArguments(catalog, op),
    description: joinParagraphs(
      op.description,
      result.note,
      describeOperationAuth(op.auth),
      describeOperationErrors(catalog.model, op),
    ),
    deprecationReason: deprecationReason(op.deprecated),
  };
}

function buildOperationArguments(catalog: TypeCatalog, op: Operation): GraphQLFieldConfigArgumentMap {
  const input = op.input;
  switch (input.kind) {
    case 'none':
      return {};
    case 'fields': {
      if (input.named !== undefined) {
        return { input: { type: new GraphQLNonNull(catalog.namedInput(input.named) as GraphQLInputType) } };
      }
      const args: GraphQLFieldConfigArgumentMap = {};
      for (const f of inputFields(input.fields)) args[f.names.graphql] = buildInputValue(catalog, f);
      return args;
    }
    case 'stream':
      throw new Error(`model invariant: ${op.name} streams its input but is carried by graphql`);
    default:
      return assertNever(input, 'operation input');
  }
}

function buildOperationResult(catalog: TypeCatalog, op: Operation): { type: GraphQLOutputType; note?: string } {
  const output = op.output;
  switch (output.kind) {
    case 'none':
      return { type: new GraphQLNonNull(GraphQLBoolean), note: 'Returns nothing: the result is always `true`.' };
    case 'value':
      return { type: catalog.outputType(output.type, output.optional) };
    case 'stream':
      return { type: catalog.outputType(output.element, false), note: 'A stream: each element arrives as one subscription event.' };
    default:
      return assertNever(output, 'operation output');
  }
}

/** Client and bidirectional streams have no GraphQL form; say where they are instead. */
export function warnLeftOut(ctx: EmitContext, op: Operation): void {
  ctx.warn('style-cannot-express', op.pos, {
    style: 'graphql',
    what: describeStreamKind(op),
    name: op.name,
    instead: 'use the gRPC service or the AsyncAPI WebSocket channel',
  });
}

function describeStreamKind(op: Operation): string {
  switch (op.stream) {
    case 'client':
      return 'client-streaming operation';
    case 'bidi':
      return 'bidirectional-streaming operation';
    case 'unary':
    case 'server':
      return 'operation';
    default:
      return assertNever(op.stream, 'stream mode');
  }
}
