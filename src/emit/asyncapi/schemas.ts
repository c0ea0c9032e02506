// components.schemas: the JSON Schema of every type the document reaches,
// built by the OpenAPI emitter's schema printers so that both documents give
// the same JSON wire encoding the same schema. Two dialect differences are
// adjusted here: AsyncAPI's `discriminator` is the property name itself, and
// its default schema format is JSON Schema draft-07 (no `const`-free changes
// needed; `contentMediaType`, `contentEncoding` and `const` exist there).
import { assertNever, findError, findType, type Field, type Model, type Operation, type TypeRef } from '../../contract/model.js';
import { printEnumSchema } from '../openapi/enums.js';
import { printPayloadSchema } from '../openapi/events.js';
import { printFieldsSchema } from '../openapi/fields.js';
import { printObjectSchema } from '../openapi/objects.js';
import { CANCELLED_PROBLEM, PROBLEM, printErrorProblemSchema, printProblemSchema, printRuntimeProblemSchema, UNAUTHENTICATED_PROBLEM } from '../openapi/problems.js';
import type { Schema } from '../openapi/spec.js';
import { printUnionSchema, printUnionVariants } from '../openapi/unions.js';

export type { Schema };
export { schemaRef } from '../openapi/spec.js';
export { printTypeSchema } from '../openapi/types.js';

/** The streaming operations AsyncAPI carries over the WebSocket channel. */
export function streamOperations(model: Model): Operation[] {
  return model.operations.filter((op) => op.styles.includes('asyncapi'));
}

export function printSchemas(model: Model): Record<string, Schema> {
  const types = new Set<string>();
  const errors = new Set<string>();
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
        return assertNever(type, 'type');
    }
  };
  const reachFields = (fields: Field[]) => fields.forEach((f) => reachType(f.type));
  for (const event of model.events) {
    if (event.payload.kind === 'named') reachType({ kind: 'object', name: event.payload.type });
    else reachFields(event.payload.fields);
  }
  const ops = streamOperations(model);
  for (const op of ops) {
    if (op.input.kind === 'fields') reachFields(op.input.fields);
    if (op.input.kind === 'stream') reachType(op.input.element);
    if (op.output.kind !== 'none') reachType(op.output.kind === 'stream' ? op.output.element : op.output.type);
    for (const name of op.errors) errors.add(name);
  }
  if (ops.length > 0) for (const e of model.errors) if (!e.declared) errors.add(e.name);
  for (const name of errors) reachFields(findError(model, name).fields);

  const entries: [string, Schema][] = [];
  for (const type of model.types) {
    if (!types.has(type.name)) continue;
    switch (type.kind) {
      case 'object':
        entries.push([type.names.openapi, printObjectSchema(model, type)]);
        break;
      case 'enum':
        entries.push([type.names.openapi, printEnumSchema(type)]);
        break;
      case 'union':
        entries.push([type.names.openapi, printUnionSchema(model, type)], ...printUnionVariants(model, type));
        break;
      default:
        assertNever(type, 'named type');
    }
  }
  for (const op of ops) {
    if (op.input.kind === 'fields') {
      entries.push([op.names.inputType, printFieldsSchema(model, op.input.fields.filter((f) => !f.readOnly), { description: `The input of \`${op.name}\`.` })]);
    }
  }
  for (const event of model.events) {
    const payload = printPayloadSchema(model, event);
    if (payload) entries.push(payload);
  }
  // The WebSocket channel's signalling `error` frame carries a Problem, also where no operation streams.
  if (errors.size > 0 || model.events.length > 0) entries.push([PROBLEM, printProblemSchema()]);
  if (errors.size > 0) {
    for (const e of model.errors) if (errors.has(e.name)) entries.push([e.names.openapi, printErrorProblemSchema(model, e)]);
    if (ops.some((op) => op.auth.length > 0)) entries.push([UNAUTHENTICATED_PROBLEM.schema, printRuntimeProblemSchema(UNAUTHENTICATED_PROBLEM)]);
    entries.push([CANCELLED_PROBLEM.schema, printRuntimeProblemSchema(CANCELLED_PROBLEM)]);
  }
  const schemas: Record<string, Schema> = {};
  for (const [name, schema] of entries) {
    if (name in schemas) throw new Error(`asyncapi: two schemas named ${name}`);
    schemas[name] = toAsyncapiDialect(schema) as Schema;
  }
  return schemas;
}

/** OpenAPI's `discriminator: { propertyName, mapping }` is AsyncAPI's `discriminator: propertyName`. */
function toAsyncapiDialect(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAsyncapiDialect);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'discriminator' && child !== null && typeof child === 'object' && 'propertyName' in child) {
      out[key] = (child as { propertyName: string }).propertyName;
    } else out[key] = toAsyncapiDialect(child);
  }
  return out;
}
