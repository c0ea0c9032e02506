// Warnings for what the OpenAPI document leaves out.
import { assertNever, type Model, type Operation } from '../../contract/model.js';
import type { EmitContext } from '../types.js';
import type { Reach } from './reach.js';

export function warnLeftOut(model: Model, reach: Reach, ctx: EmitContext): void {
  for (const op of reach.leftOut) {
    ctx.warn('style-cannot-express', op.pos, {
      style: 'openapi',
      what: describeStreamKind(op),
      name: op.name,
      instead: 'HTTP has no request stream; use the gRPC service or the AsyncAPI WebSocket channel',
    });
  }
  // A named input sent as query parameters is there field by field; a type
  // nothing uses is the loader's warning (unused-type), not a limit of OpenAPI.
  const asParameters = new Set(reach.operations.map((op) => (op.input.kind === 'fields' ? op.input.named : undefined)));
  for (const type of model.types) {
    if (reach.types.has(type.name) || asParameters.has(type.name)) continue;
    if (!type.usedInInput && !type.usedInOutput) continue;
    ctx.warn('style-cannot-express', type.pos, {
      style: 'openapi',
      what: 'type',
      name: type.name,
      instead: 'only operations OpenAPI cannot carry use it',
    });
  }
  // Errors no operation raises at all are the loader's business.
  const raised = new Set(model.operations.flatMap((op) => op.errors));
  for (const error of model.errors) {
    if (reach.errors.has(error.name) || !raised.has(error.name)) continue;
    ctx.warn('style-cannot-express', error.pos, {
      style: 'openapi',
      what: 'error',
      name: error.name,
      instead: 'only operations OpenAPI cannot carry raise it',
    });
  }
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
