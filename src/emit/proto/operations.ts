// Operations as rpcs, each with its own request and response message (buf
// style). Streams use `stream`, one element per message; the rpc comment
// lists the errors it may return and the auth metadata it needs.
import { assertNever, type Model, type Operation } from '../../contract/model.js';
import type { ProtoMessage, ProtoRpc } from './ast.js';
import { noReserved } from './ast.js';
import { describeAuth } from './auth.js';
import type { ProtoCatalog } from './catalog.js';
import { describeDeprecation, printComments } from './comments.js';
import { describeErrors, operationErrors } from './errors.js';
import { printFields } from './fields.js';
import { printValueField } from './wrapped-values.js';

export function printRpc(model: Model, op: Operation): ProtoRpc {
  return {
    name: op.names.grpc,
    comments: printComments([
      op.description,
      describeDeprecation(op.deprecated),
      describeErrors(operationErrors(model, op)),
      describeAuth(model, op.auth),
    ]),
    request: op.names.protoRequest,
    requestStream: op.input.kind === 'stream',
    response: op.names.protoResponse,
    responseStream: op.output.kind === 'stream',
    options: [
      ...(op.deprecated ? [{ name: 'deprecated', value: 'true' }] : []),
      // A query has no side effects; gRPC and Connect may then retry it or send it as an HTTP GET.
      ...(op.kind === 'query' ? [{ name: 'idempotency_level', value: 'NO_SIDE_EFFECTS' }] : []),
    ],
  };
}

export function printRequest(model: Model, op: Operation, catalog: ProtoCatalog): ProtoMessage {
  const base = { kind: 'message' as const, name: op.names.protoRequest, deprecated: false, oneofs: [] };
  const input = op.input;
  switch (input.kind) {
    case 'none':
      return { ...base, comments: printComments([`The ${op.names.grpc} rpc takes no input.`]), reserved: noReserved(), fields: [] };
    case 'fields':
      return {
        ...base,
        comments: printComments([
          input.named ? `The input of ${op.names.grpc}: the fields of ${input.named}.` : `The input of ${op.names.grpc}.`,
        ]),
        ...printFields(input, catalog),
      };
    case 'stream':
      return {
        ...base,
        comments: printComments([`One element of the ${op.names.grpc} client stream.`]),
        reserved: noReserved(),
        fields: [printValueField(model, catalog, input.element, false)],
      };
    default:
      return assertNever(input, 'operation input');
  }
}

export function printResponse(model: Model, op: Operation, catalog: ProtoCatalog): ProtoMessage {
  const base = { kind: 'message' as const, name: op.names.protoResponse, deprecated: false, oneofs: [], reserved: noReserved() };
  const output = op.output;
  switch (output.kind) {
    case 'none':
      return { ...base, comments: printComments([`The ${op.names.grpc} rpc returns nothing.`]), fields: [] };
    case 'value':
      return {
        ...base,
        comments: printComments([`The output of ${op.names.grpc}.`]),
        fields: [
          printValueField(model, catalog, output.type, output.optional, output.optional ? 'Not set when there is no result.' : undefined),
        ],
      };
    case 'stream':
      return {
        ...base,
        comments: printComments([`One element of the ${op.names.grpc} server stream.`]),
        fields: [printValueField(model, catalog, output.element, false)],
      };
    default:
      return assertNever(output, 'operation output');
  }
}
