// Errors travel as google.rpc.Status: the status code from the model's
// mapping, and for a declared error a `<Error>Detail` message in `details`
// (packed in a google.protobuf.Any) carrying the error's fields.
import { findError, type ErrorDef, type Model, type Operation } from '../../contract/model.js';
import type { ProtoMessage } from './ast.js';
import type { ProtoCatalog } from './catalog.js';
import { printComments } from './comments.js';
import { printFields } from './fields.js';

export function printErrorDetail(error: ErrorDef, catalog: ProtoCatalog): ProtoMessage {
  const status = `${error.mapping.code} (${error.mapping.grpcStatus})`;
  return {
    kind: 'message',
    name: error.names.proto,
    comments: printComments([
      error.description,
      `Sent as the details of a google.rpc.Status with code ${status} when an rpc fails with the ${error.name} error.`,
    ]),
    deprecated: false,
    ...printFields(error, catalog),
    oneofs: [],
  };
}

/** The errors an operation may return: its declared ones, then the implicit ones. */
export function operationErrors(model: Model, op: Operation): ErrorDef[] {
  return [...op.errors.map((name) => findError(model, name)), ...model.errors.filter((e) => !e.declared)];
}

/** One comment paragraph listing errors with their gRPC status and detail message. */
export function describeErrors(errors: ErrorDef[]): string {
  const lines = errors.map((e) => {
    const detail = e.declared ? ` with ${e.names.proto}` : '';
    const why = e.description ? `: ${e.description}` : '';
    return `- ${e.mapping.code} (${e.mapping.grpcStatus}) ${e.name}${detail}${why}`;
  });
  return ['Errors (google.rpc.Status code, error, details):', ...lines].join('\n');
}
