// What the document needs: the operations REST carries, and the types, errors
// and auth schemes they (and the events) reach. Components nothing refers to
// are left out, as Redocly's no-unused-components asks.
import { assertNever, findError, findType, type Field, type Model, type Operation, type TypeRef } from '../../contract/model.js';
import { bodySchemaOf } from './bodies.js';

export interface Reach {
  /** Operations with a REST form (unary and server-streaming), in contract order. */
  operations: Operation[];
  /** Operations REST cannot carry (client and bidirectional streams). */
  leftOut: Operation[];
  types: Set<string>;
  /** Errors whose problem schema some response uses. */
  errors: Set<string>;
  schemes: Set<string>;
  /** True when some response uses the `Problem` base schema (every error response does). */
  problems: boolean;
  /** True when some operation or subscription takes credentials, so a 401 `UnauthenticatedProblem` may answer. */
  unauthenticated: boolean;
  /** True when some operation has a request body, which the server may refuse with 413 or 415. */
  bodies: boolean;
}

export function findReach(model: Model): Reach {
  const operations = model.operations.filter((op) => op.styles.includes('rest'));
  const leftOut = model.operations.filter((op) => !op.styles.includes('rest'));
  const types = new Set<string>();
  const errors = new Set<string>();
  // The root `security` names the default schemes, so they are always defined.
  const schemes = new Set<string>(model.auth.default);

  const reachType = (type: TypeRef): void => {
    switch (type.kind) {
      case 'scalar':
        return;
      case 'list':
        return reachType(type.element);
      case 'map':
        return reachType(type.value);
      case 'object':
      case 'enum':
      case 'union': {
        if (types.has(type.name)) return;
        types.add(type.name);
        const named = findType(model, type.name);
        if (named.kind === 'object') named.fields.forEach((f) => reachType(f.type));
        if (named.kind === 'union') named.members.forEach((m) => reachType({ kind: 'object', name: m.type }));
        return;
      }
      default:
        return assertNever(type, 'type reference');
    }
  };
  const reachFields = (fields: Field[]): void => fields.forEach((f) => reachType(f.type));
  const implicitErrors = model.errors.filter((e) => !e.declared).map((e) => e.name);

  for (const op of operations) {
    if (op.input.kind === 'fields') reachFields(op.input.fields);
    const body = bodySchemaOf(op);
    if (body?.kind === 'named') reachType({ kind: 'object', name: body.type });
    const output = outputType(op);
    if (output) reachType(output);
    [...op.errors, ...implicitErrors].forEach((e) => errors.add(e));
    op.auth.forEach((s) => schemes.add(s));
  }
  for (const event of model.events) {
    if (event.payload.kind === 'named') reachType({ kind: 'object', name: event.payload.type });
    else reachFields(event.payload.fields);
    // The SSE subscription path answers with the implicit errors (and takes the default auth).
    implicitErrors.forEach((e) => errors.add(e));
  }
  for (const name of errors) reachFields(findError(model, name).fields);

  const unauthenticated = operations.some((op) => op.auth.length > 0) || (model.events.length > 0 && model.auth.default.length > 0);
  const bodies = operations.some((op) => bodySchemaOf(op) !== undefined);
  return { operations, leftOut, types, errors, schemes, problems: errors.size > 0 || unauthenticated, unauthenticated, bodies };
}

function outputType(op: Operation): TypeRef | undefined {
  switch (op.output.kind) {
    case 'none':
      return undefined;
    case 'value':
      return op.output.type;
    case 'stream':
      return op.output.element;
    default:
      return assertNever(op.output, 'operation output');
  }
}
