// Warnings for what the WSDL leaves out: SOAP is request/response only, so
// streams and events have no form, nor do the types and errors only they use.
import { assertNever, type Model, type Operation } from '../../contract/model.js';
import type { EmitContext } from '../types.js';
import type { Reach } from './reach.js';

const STYLE = 'wsdl';

export function warnLeftOut(model: Model, reach: Reach, ctx: EmitContext): void {
  for (const op of reach.leftOut) {
    ctx.warn('style-cannot-express', op.pos, { style: STYLE, what: describeStreamKind(op), name: op.name, instead: insteadOfStream(op) });
  }
  for (const event of model.events) {
    ctx.warn('style-cannot-express', event.pos, {
      style: STYLE,
      what: 'event',
      name: event.name,
      instead: 'SOAP has no server push; subscribe through AsyncAPI, a webhook, a GraphQL subscription or the gRPC stream',
    });
  }
  // A type nothing uses at all is the loader's warning (unused-type), not a limit of SOAP;
  // a named input is there field by field, in the request element.
  const asRequest = new Set(reach.operations.map((op) => (op.input.kind === 'fields' ? op.input.named : undefined)));
  for (const type of model.types) {
    if (reach.outputForms.has(type.name) || reach.inputForms.has(type.name) || asRequest.has(type.name)) continue;
    if (!type.usedInInput && !type.usedInOutput) continue;
    ctx.warn('style-cannot-express', type.pos, { style: STYLE, what: 'type', name: type.name, instead: 'only streams and events, which SOAP cannot carry, use it' });
  }
  const raised = new Set(model.operations.flatMap((op) => op.errors));
  const reached = new Set(reach.errors.map((e) => e.name));
  for (const error of model.errors) {
    if (reached.has(error.name) || !raised.has(error.name)) continue;
    ctx.warn('style-cannot-express', error.pos, { style: STYLE, what: 'error', name: error.name, instead: 'only streams, which SOAP cannot carry, raise it' });
  }
}

function describeStreamKind(op: Operation): string {
  switch (op.stream) {
    case 'server':
      return 'server-streaming operation';
    case 'client':
      return 'client-streaming operation';
    case 'bidi':
      return 'bidirectional-streaming operation';
    case 'unary':
      return 'operation';
    default:
      return assertNever(op.stream, 'stream mode');
  }
}

function insteadOfStream(op: Operation): string {
  switch (op.stream) {
    case 'server':
      return 'SOAP has no streams; use the REST SSE endpoint, the GraphQL subscription, the gRPC stream or the AsyncAPI WebSocket channel';
    case 'client':
    case 'bidi':
    case 'unary':
      return 'SOAP has no streams; use the gRPC service or the AsyncAPI WebSocket channel';
    default:
      return assertNever(op.stream, 'stream mode');
  }
}
